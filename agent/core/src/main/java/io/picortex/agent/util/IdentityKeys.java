package io.picortex.agent.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Hash keys that stand for an application object by identity, never calling its {@code equals} or
 * {@code hashCode}: {@link Weak} to store (the object stays collectable), {@link Probe} to look up
 * (a plain object, nothing for the collector to process). A weak key and a probe for the same
 * object are equal, so a probe finds what a weak key stored.
 */
public final class IdentityKeys {
  private IdentityKeys() {}

  /** What both kinds of key answer: the object they stand for (null once a weak one is cleared). */
  public interface Key {
    Object referent();
  }

  /** A stored key: holds the object weakly. */
  public static final class Weak<T> extends WeakReference<T> implements Key {
    private final int hash;

    public Weak(T referent, ReferenceQueue<? super T> queue) {
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
      return mine != null && o instanceof Key other && other.referent() == mine;
    }
  }

  /** A lookup key. */
  public static final class Probe implements Key {
    private final Object referent;
    private final int hash;

    public Probe(Object referent) {
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
      return o instanceof Key other && other.referent() == referent;
    }
  }
}
