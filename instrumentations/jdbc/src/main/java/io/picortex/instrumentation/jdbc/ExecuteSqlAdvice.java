package io.picortex.instrumentation.jdbc;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into {@code Statement.execute*(String, ...)}. Glue only. */
public final class ExecuteSqlAdvice {
  private ExecuteSqlAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @HookId int hook, @Advice.This Object statement, @Advice.Argument(0) String sql) {
    return PicortexBridge.enter(hook, statement, sql);
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
