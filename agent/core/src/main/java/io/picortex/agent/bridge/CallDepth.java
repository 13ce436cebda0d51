package io.picortex.agent.bridge;

/**
 * Per-thread nesting counter for one group of hooks, so that an operation that calls itself
 * internally (HttpURLConnection.getInputStream calling connect, a pool's statement calling the
 * driver's) yields one span. The holder is mutated in place; the thread local is never set again.
 */
public final class CallDepth {
  private static final class Counter {
    int depth;
  }

  private final ThreadLocal<Counter> counter = ThreadLocal.withInitial(Counter::new);

  /** @return the depth after entering: 1 for the outermost call */
  public int enter() {
    return ++counter.get().depth;
  }

  /** Must pair with every {@link #enter()}. */
  public void exit() {
    Counter c = counter.get();
    if (c.depth > 0) {
      c.depth--;
    }
  }
}
