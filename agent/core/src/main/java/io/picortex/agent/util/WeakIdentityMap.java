package io.picortex.agent.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * State attached to application objects (a connection's span, a prepared statement's SQL) without
 * keeping them alive and without calling their {@code equals}/{@code hashCode}: keys are compared by
 * identity and held weakly; entries of collected keys are purged on every write. Bounded: when it
 * reaches its capacity the oldest state is dropped rather than the heap filled.
 */
public final class WeakIdentityMap<K, V> {
  private final Map<Key<K>, V> map = new HashMap<>();
  private final ReferenceQueue<K> queue = new ReferenceQueue<>();
  private final int capacity;

  public WeakIdentityMap(int capacity) {
    this.capacity = capacity;
  }

  private static final class Key<K> extends WeakReference<K> {
    private final int hash;

    Key(K referent, ReferenceQueue<K> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
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
      if (!(o instanceof Key<?> other) || other.hash != hash) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == other.get();
    }
  }

  /** A lookup key that is never enqueued. */
  private Key<K> probe(K key) {
    return new Key<>(key, null);
  }

  public synchronized V get(K key) {
    return key == null ? null : map.get(probe(key));
  }

  public synchronized void put(K key, V value) {
    if (key == null) {
      return;
    }
    purge();
    if (map.size() >= capacity) {
      map.clear();
    }
    map.put(new Key<>(key, queue), value);
  }

  public synchronized V remove(K key) {
    if (key == null) {
      return null;
    }
    purge();
    return map.remove(probe(key));
  }

  public synchronized int size() {
    purge();
    return map.size();
  }

  @SuppressWarnings("unchecked")
  private void purge() {
    Key<K> k;
    while ((k = (Key<K>) queue.poll()) != null) {
      map.remove(k);
    }
  }
}
