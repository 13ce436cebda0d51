package io.picortex.agent.bridge;

/**
 * The agent side of one piece of advice. Woven code calls {@code PicortexBridge.enter/argument/exit}
 * with the hook number the installer bound into it; {@link AgentBridge} routes the call here.
 *
 * <p>Implementations live in the instrumentation modules, next to the advice, and may use the
 * instrumented library's types (the agent class loader sees the JDK; library types of application
 * loaders must be handled through plain values the advice extracts). They turn library objects into
 * plain values and hand them to the handlers in {@code io.picortex.agent.handler}. Exceptions
 * thrown here are caught and counted by the bridge; they never reach the application.
 */
public interface Hook {

  /**
   * @return state for {@link #onExit} (and {@link #onArgument}), or null to do nothing
   */
  Object onEnter(Object self, Object argument);

  /** The argument the woven method should use instead of {@code original}. */
  default Object onArgument(Object state, Object original) {
    return original;
  }

  /**
   * Always called after {@link #onEnter}, also when it returned null or threw.
   *
   * @return the value the method should return instead of {@code result}
   */
  Object onExit(Object state, Object self, Object result, Throwable thrown);
}
