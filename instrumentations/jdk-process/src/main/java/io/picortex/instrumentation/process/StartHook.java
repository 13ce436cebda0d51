package io.picortex.instrumentation.process;

import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.ProcessHandler;

/** Hands a ProcessBuilder's command and environment to the {@link ProcessHandler}. */
final class StartHook implements Hook {
  private final ProcessHandler handler;

  StartHook(ProcessHandler handler) {
    this.handler = handler;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    if (!(self instanceof ProcessBuilder builder)) {
      return null;
    }
    return handler.start(builder);
  }

  @Override
  public Object onExit(Object state, Object self, Object result, Throwable thrown) {
    if (state instanceof ProcessHandler.Call call) {
      ProcessBuilder builder = (ProcessBuilder) self;
      if (result instanceof Process process) {
        handler.started(call, builder, process);
      } else {
        handler.failed(call, builder,
            thrown != null ? thrown : new IllegalStateException("no process"));
      }
    }
    return result;
  }
}
