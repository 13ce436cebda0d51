package io.picortex.agent.bridge;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads the agent starts (exporters, schedulers). Instrumentation is switched off on them, so the
 * agent never traces its own OTLP export calls.
 */
public final class AgentThreads {

  /** A marker type: {@code currentThread() instanceof AgentThread} costs nothing per call. */
  public static final class AgentThread extends Thread {
    AgentThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
      setContextClassLoader(AgentThreads.class.getClassLoader());
    }
  }

  private AgentThreads() {}

  public static boolean isAgentThread() {
    return Thread.currentThread() instanceof AgentThread;
  }

  public static ThreadFactory factory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> new AgentThread(r, "picortex-" + prefix + "-" + n.incrementAndGet());
  }
}
