package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * Hands the method's first argument, a task, to the hook before the method runs: {@code
 * ThreadPoolExecutor.execute/reject/afterExecute}, {@code ScheduledThreadPoolExecutor
 * .delayedExecute}, {@code ForkJoinPool.externalSubmit} (JDK 17). Glue only.
 */
public final class TaskArgumentAdvice {
  private TaskArgumentAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @HookId int hook, @Advice.This Object self, @Advice.Argument(0) Object task) {
    PicortexBridge.enter(hook, self, task);
  }
}
