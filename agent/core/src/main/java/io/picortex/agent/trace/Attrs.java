package io.picortex.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * A span's attributes as two small parallel arrays, in the order first set; setting a key again
 * replaces its value. A span has a dozen at most, so a linear scan beats hashing. Not thread-safe:
 * the builder is confined to one thread and {@link LightSpan} guards its instance.
 */
final class Attrs {
  private static final AttributeKey<?>[] NO_KEYS = new AttributeKey<?>[0];
  private static final Object[] NO_VALUES = new Object[0];
  /** The first allocation's size: a server span's attributes fit. */
  private static final int FIRST_CAPACITY = 12;

  private AttributeKey<?>[] keys = NO_KEYS;
  private Object[] values = NO_VALUES;
  private int size;
  /** Every distinct key offered, also those over the limit (SpanData's total attribute count). */
  private int total;

  void put(AttributeKey<?> key, Object value) {
    if (key == null || key.getKey().isEmpty() || value == null) {
      return;
    }
    int hash = key.hashCode(); // cached by the API's keys: distinct keys rarely compare strings
    for (int i = 0; i < size; i++) {
      AttributeKey<?> k = keys[i];
      if (k == key || k.hashCode() == hash && k.equals(key)) {
        values[i] = value;
        return;
      }
    }
    total++;
    if (size == LightTracer.MAX_ATTRIBUTES) {
      return;
    }
    if (size == keys.length) {
      int grown = Math.min(LightTracer.MAX_ATTRIBUTES, size == 0 ? FIRST_CAPACITY : size * 2);
      keys = java.util.Arrays.copyOf(keys, grown);
      values = java.util.Arrays.copyOf(values, grown);
    }
    keys[size] = key;
    values[size++] = value;
  }

  @SuppressWarnings("unchecked")
  <T> T get(AttributeKey<T> key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return (T) values[i];
      }
    }
    return null;
  }

  int total() {
    return total;
  }

  /** An immutable copy, for export. */
  Attributes toAttributes() {
    if (size == 0) {
      return Attributes.empty();
    }
    return new AttributesSnapshot(
        java.util.Arrays.copyOf(keys, size), java.util.Arrays.copyOf(values, size));
  }
}
