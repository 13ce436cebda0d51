package io.picortex.instrumentation.jdbc;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into {@code Connection.prepareStatement/prepareCall(String, ...)}. Glue only. */
public final class PrepareAdvice {
  private PrepareAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @HookId int hook, @Advice.This Object connection, @Advice.Argument(0) String sql) {
    return PicortexBridge.enter(hook, connection, sql);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.This Object connection,
      @Advice.Return Object statement,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, connection, statement, thrown);
  }
}
