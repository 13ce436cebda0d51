package io.picortex.instrumentation.urlconnection;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into the JDK's HttpURLConnection request methods. Glue only. */
public final class ConnectionAdvice {
  private ConnectionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@HookId int hook, @Advice.This Object connection) {
    return PicortexBridge.enter(hook, connection, null);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.This Object connection,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, connection, null, thrown);
  }
}
