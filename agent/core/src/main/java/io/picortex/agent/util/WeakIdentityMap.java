package io.picortex.agent.util;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State attached to application objects (a connection's span, a prepared statement's SQL) without
 * keeping them alive and without calling their {@code equals}/{@code hashCode}: keys are compared by
 * identity and held weakly; entries of collected keys are purged on every write. Bounded: when it
 * reaches its capacity everything is dropped rather than the heap filled.
 *
 * <p>No lock: request threads look things up here several times per request, and one shared
 * monitor under load meant spinning (CPU the profiler does not even show as Java code). Lookups use
 * a plain probe object, not a {@code WeakReference}, so a lookup allocates nothing the collector
 * has to process. Neither lookups nor writes count the entries ({@code ConcurrentHashMap}'s count
 * sums its counter cells, a loop per call that showed in profiles): the capacity is checked on
 * every 256th write, so the map may exceed it by that much per writing thread before it is
 * cleared.
 */
public final class WeakIdentityMap<K, V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> queue = new ReferenceQueue<>();
  private final int capacity;
  /** Writes since the last capacity check; racy on purpose (a lost increment only delays it). */
  private int writes;

  public WeakIdentityMap(int capacity) {
    this.capacity = capacity;
  }

  public V get(K key) {
    return key == null ? null : map.get(new IdentityKeys.Probe(key));
  }

  /**
   * Maps {@code key} to {@code value}; returns the previous value, or null. A key already present
   * keeps its weak key object (only the value is replaced), so marking a known key again allocates
   * no new {@code WeakReference} for the collector to process.
   */
  public V put(K key, V value) {
    if (key == null || value == null) {
      return null;
    }
    V previous = map.replace(new IdentityKeys.Probe(key), value);
    if (previous != null) {
      return previous;
    }
    purge();
    if ((++writes & 255) == 0 && map.size() >= capacity) {
      map.clear();
    }
    return map.put(new IdentityKeys.Weak<>(key, queue), value);
  }

  public V remove(K key) {
    if (key == null) {
      return null;
    }
    purge();
    return map.remove(new IdentityKeys.Probe(key));
  }

  public int size() {
    purge();
    return map.size();
  }

  private void purge() {
    Object k;
    while ((k = queue.poll()) != null) {
      map.remove(k);
    }
  }
}
