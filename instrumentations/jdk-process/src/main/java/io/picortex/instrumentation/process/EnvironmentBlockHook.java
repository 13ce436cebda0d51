package io.picortex.instrumentation.process;

import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.ProcessHandler;

/**
 * {@code ProcessEnvironment.toEnvironmentBlock(map, envc)}: for a start of ours whose child inherits
 * the JVM's environment, the {@link ProcessHandler} answers the block with our variables added.
 */
final class EnvironmentBlockHook implements Hook {
  private final ProcessHandler handler;

  EnvironmentBlockHook(ProcessHandler handler) {
    this.handler = handler;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    return null;
  }

  /** {@code self} is the {@code int[] envc} argument (see the rule); {@code result} the block. */
  @Override
  public Object onExit(Object state, Object self, Object result, Throwable thrown) {
    return thrown != null ? result : handler.environmentBlock(result, self);
  }
}
