package io.picortex.instrumentation.process;

import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.ProcessHandler;
import java.util.Map;

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
      // An inheriting call never asks for the builder's environment: that would copy the JVM's.
      Map<String, String> environment =
          call.inherits() ? null : ((ProcessBuilder) self).environment();
      if (result instanceof Process process) {
        handler.started(call, environment, process);
      } else {
        handler.failed(call, environment,
            thrown != null ? thrown : new IllegalStateException("no process"));
      }
    }
    return result;
  }
}
