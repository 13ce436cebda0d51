package io.picortex.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpanRingTest {

  @Test
  void keepsOrderAndRefusesWhenFullUntilTheConsumerTakes() {
    SpanRing<Integer> ring = new SpanRing<>(3);
    assertThat(ring.offer(1)).isTrue();
    assertThat(ring.offer(2)).isTrue();
    assertThat(ring.offer(3)).isTrue();
    assertThat(ring.offer(4)).as("full at exactly the capacity (3, not rounded up)").isFalse();
    assertThat(ring.size()).isEqualTo(3);

    assertThat(ring.poll()).isEqualTo(1);
    assertThat(ring.offer(4)).isTrue();
    assertThat(ring.poll()).isEqualTo(2);
    assertThat(ring.poll()).isEqualTo(3);
    assertThat(ring.poll()).isEqualTo(4);
    assertThat(ring.poll()).isNull();
    assertThat(ring.size()).isZero();
  }

  @Test
  void manyLapsAroundTheArray() {
    SpanRing<Integer> ring = new SpanRing<>(5);
    for (int i = 0; i < 1000; i++) {
      assertThat(ring.offer(i)).isTrue();
      assertThat(ring.offer(-i)).isTrue();
      assertThat(ring.poll()).isEqualTo(i);
      assertThat(ring.poll()).isEqualTo(-i);
    }
    assertThat(ring.poll()).isNull();
  }

  @Test
  void concurrentProducersLoseNothingAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    SpanRing<Integer> ring = new SpanRing<>(64);
    // a bound on the loops below, not a measurement: a loaded 2-core machine may stall any thread
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perProducer; i++) {
                  // bounded: the consumer below drains; give up at the deadline (the test then fails)
                  while (!ring.offer(base + i) && System.nanoTime() - deadline < 0) {
                    Thread.yield();
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    BitSet seen = new BitSet(producers * perProducer);
    int received = 0;
    int duplicates = 0;
    start.countDown();
    while (received < producers * perProducer && System.nanoTime() - deadline < 0) {
      Integer value = ring.poll();
      if (value == null) {
        Thread.yield();
        continue;
      }
      if (seen.get(value)) {
        duplicates++;
      }
      seen.set(value);
      received++;
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(duplicates).isZero();
    assertThat(received).isEqualTo(producers * perProducer);
    assertThat(seen.cardinality()).isEqualTo(producers * perProducer);
    assertThat(ring.poll()).isNull();
  }
}
