package io.picortex.agent.bridge;

import io.picortex.agent.log.AgentLog;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's implementation of {@link PicortexBridge}: routes woven calls to {@link Hook}s by
 * number, switches instrumentation off on the agent's own threads and while the agent works inside
 * a hook (so a hook calling an instrumented method does not recurse), and turns every throwable of
 * a hook into a counted, logged-once event. Nothing thrown here reaches the application.
 */
public final class AgentBridge extends PicortexBridge {
  private static final AgentLog LOG = AgentLog.get(AgentBridge.class);

  private final Hook[] hooks;
  private final String[] hookNames;
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean errorLogged;

  public AgentBridge(Hook[] hooks, String[] hookNames) {
    this.hooks = hooks.clone();
    this.hookNames = hookNames.clone();
  }

  /**
   * Creates the implementation and makes it the bridge's target. Only code that runs after {@code
   * java.lang.PicortexBridge} was defined may link to it: that is why this lives here and not in
   * the agent's start-up class, which the JVM verifies before the bridge exists.
   */
  public static AgentBridge install(Hook[] hooks, String[] hookNames) {
    AgentBridge bridge = new AgentBridge(hooks, hookNames);
    if (!PicortexBridge.install(bridge)) {
      throw new IllegalStateException("the bridge already has an implementation");
    }
    return bridge;
  }

  /** Number of throwables caught inside hooks since start. */
  public long errorCount() {
    return errors.get();
  }

  @Override
  protected Object onEnter(int hook, Object self, Object argument) {
    if (AgentThreads.isAgentThread()) {
      return null;
    }
    try {
      return hooks[hook].onEnter(self, argument);
    } catch (Throwable t) {
      failed(hook, t);
      return null;
    }
  }

  @Override
  protected Object onArgument(int hook, Object state, Object original) {
    try {
      return hooks[hook].onArgument(state, original);
    } catch (Throwable t) {
      failed(hook, t);
      return original;
    }
  }

  @Override
  protected Object onExit(int hook, Object state, Object self, Object result, Throwable thrown) {
    if (AgentThreads.isAgentThread()) {
      return result;
    }
    try {
      return hooks[hook].onExit(state, self, result, thrown);
    } catch (Throwable t) {
      failed(hook, t);
      return result;
    }
  }

  private void failed(int hook, Throwable t) {
    errors.incrementAndGet();
    if (!errorLogged || LOG.isDebugEnabled()) {
      errorLogged = true;
      LOG.warn(
          "an instrumentation failed; the application was not affected",
          "hook", hook < hookNames.length ? hookNames[hook] : String.valueOf(hook),
          "error", t.toString());
    }
  }
}
