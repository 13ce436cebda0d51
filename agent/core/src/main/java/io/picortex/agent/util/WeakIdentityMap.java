package io.picortex.agent.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
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
 * has to process.
 */
public final class WeakIdentityMap<K, V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> queue = new ReferenceQueue<>();
  private final int capacity;

  public WeakIdentityMap(int capacity) {
    this.capacity = capacity;
  }

  /** What both kinds of key answer: the object they stand for. */
  private interface Identity {
    Object referent();
  }

  /** A stored key: held weakly, compared by identity. */
  private static final class Key<K> extends WeakReference<K> implements Identity {
    private final int hash;

    Key(K referent, ReferenceQueue<K> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public Object referent() {
      return get();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      Object mine = get();
      return mine != null && o instanceof Identity other && other.referent() == mine;
    }
  }

  /** A lookup key. */
  private static final class Probe implements Identity {
    private final Object referent;
    private final int hash;

    Probe(Object referent) {
      this.referent = referent;
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public Object referent() {
      return referent;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.referent() == referent;
    }
  }

  public V get(K key) {
    return key == null || map.isEmpty() ? null : map.get(new Probe(key));
  }

  public void put(K key, V value) {
    if (key == null || value == null) {
      return;
    }
    purge();
    if (map.size() >= capacity) {
      map.clear();
    }
    map.put(new Key<>(key, queue), value);
  }

  public V remove(K key) {
    if (key == null) {
      return null;
    }
    purge();
    return map.remove(new Probe(key));
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
