package io.picortex.agent.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for many producers and one consumer that allocates nothing: an array of slots,
 * each with a sequence number telling whose turn it is (the bounded-queue scheme of Dmitry Vyukov).
 * A producer claims the next position with one compare-and-set, fills the slot and publishes it
 * by advancing the slot's sequence; the consumer takes a slot once its sequence says it is filled
 * and hands it back for the next lap. {@link #offer} never waits and fails when the queue is full.
 * The capacity is exact (positions are taken modulo it), not rounded to a power of two.
 */
final class SpanRing<T> {
  private final int capacity;
  private final AtomicReferenceArray<T> slots;
  /** Per slot: p + 1 once position p is filled there; p + capacity once it may take position p + capacity. */
  private final AtomicLongArray sequences;
  private final AtomicLong tail = new AtomicLong();
  /** Written by the consumer only; read by {@link #size} from any thread. */
  private volatile long head;

  SpanRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
    this.sequences = new AtomicLongArray(capacity);
    for (int i = 0; i < capacity; i++) {
      sequences.set(i, i);
    }
  }

  int capacity() {
    return capacity;
  }

  /** Adds {@code element} unless the queue is full; any thread. */
  boolean offer(T element) {
    long position = tail.get();
    while (true) {
      int slot = (int) (position % capacity);
      long turn = sequences.get(slot) - position;
      if (turn == 0) {
        if (tail.compareAndSet(position, position + 1)) {
          slots.lazySet(slot, element);
          sequences.set(slot, position + 1);
          return true;
        }
        position = tail.get();
      } else if (turn < 0) {
        return false; // the slot still holds the element of the previous lap: full
      } else {
        position = tail.get(); // another producer took this position
      }
    }
  }

  /** The oldest element, or null when none is ready; the one consumer thread only. */
  T poll() {
    long position = head;
    int slot = (int) (position % capacity);
    if (sequences.get(slot) != position + 1) {
      return null;
    }
    T element = slots.get(slot);
    slots.lazySet(slot, null);
    sequences.set(slot, position + capacity);
    head = position + 1;
    return element;
  }

  /** Elements claimed by producers and not yet taken (a claimed slot may still be filling). */
  int size() {
    long size = tail.get() - head;
    return (int) Math.max(0, Math.min(capacity, size));
  }
}
