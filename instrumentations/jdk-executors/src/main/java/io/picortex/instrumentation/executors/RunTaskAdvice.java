package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinTask.doExec()}: the task's context is current while it runs, the thread's own
 * one again afterwards. Glue only.
 */
public final class RunTaskAdvice {
  private RunTaskAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@HookId int hook, @Advice.This Object self) {
    return PicortexBridge.enter(hook, self, null);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.This Object self,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, self, null, thrown);
  }
}
