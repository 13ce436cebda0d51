package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** {@code ThreadPoolExecutor.beforeExecute(Thread, Runnable)}: the task is the second argument. */
public final class BeforeExecuteAdvice {
  private BeforeExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @HookId int hook, @Advice.This Object self, @Advice.Argument(1) Object task) {
    PicortexBridge.enter(hook, self, task);
  }
}
