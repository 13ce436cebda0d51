package io.picortex.agent.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  /** Equal to every other instance, same hash code: only identity can tell them apart. */
  private static final class AllEqual {
    @Override
    public boolean equals(Object o) {
      return o instanceof AllEqual;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void keysAreComparedByIdentityNeverByTheirEquals() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(100);
    AllEqual a = new AllEqual();
    AllEqual b = new AllEqual();
    map.put(a, "a");
    map.put(b, "b");
    assertThat(map.get(a)).isEqualTo("a");
    assertThat(map.get(b)).isEqualTo("b");
    assertThat(map.get(new AllEqual())).isNull();
    assertThat(map.remove(a)).isEqualTo("a");
    assertThat(map.get(a)).isNull();
    assertThat(map.get(null)).isNull();
  }

  @Test
  void reachingTheCapacityDropsWhatWasThereInsteadOfGrowing() {
    // the capacity is checked every 256th write (no entry count per call), so a map of 3 holds
    // at most 256 entries before it is cleared, and never grows without bound
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(3);
    List<Object> keys = new ArrayList<>();
    int largest = 0;
    for (int i = 0; i < 2000; i++) {
      Object key = new Object();
      keys.add(key);
      map.put(key, "v" + i);
      largest = Math.max(largest, map.size());
    }
    assertThat(largest).isLessThanOrEqualTo(256);
    assertThat(map.size()).isLessThan(256);
    assertThat(map.get(keys.get(1999))).isEqualTo("v1999");
    assertThat(map.get(keys.get(0))).isNull();
  }

  @Test
  void puttingAPresentKeyAgainReplacesItsValueInPlaceAndReturnsThePreviousOne() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(100);
    Object present = new Object();
    Object absent = new Object();
    assertThat(map.put(present, "first")).isNull();

    assertThat(map.put(present, "second")).isEqualTo("first");

    assertThat(map.get(present)).isEqualTo("second");
    assertThat(map.get(absent)).isNull();
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void anEntryGoesWhenItsKeyIsCollected() throws Exception {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(100);
    Object kept = new Object();
    map.put(kept, "kept");
    map.put(new Object(), "dropped");
    for (int i = 0; i < 50 && map.size() > 1; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }

  @Test
  void manyThreadsReadAndWriteWithoutLosingTheirOwnEntries() throws Exception {
    WeakIdentityMap<Object, Integer> map = new WeakIdentityMap<>(1_000_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          List<Object> mine = new ArrayList<>();
          for (int i = 0; i < 2_000; i++) {
            Object key = new Object();
            mine.add(key);
            map.put(key, i);
          }
          int found = 0;
          for (int i = 0; i < mine.size(); i++) {
            if (Integer.valueOf(i).equals(map.get(mine.get(i)))) {
              found++;
            }
          }
          return found;
        }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
