package io.picortex.instrumentation.jdbc;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into {@code PreparedStatement.execute*()} and {@code executeBatch()}. Glue only. */
public final class ExecutePreparedAdvice {
  private ExecutePreparedAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@HookId int hook, @Advice.This Object statement) {
    return PicortexBridge.enter(hook, statement, null);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.This Object statement,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, statement, null, thrown);
  }
}
