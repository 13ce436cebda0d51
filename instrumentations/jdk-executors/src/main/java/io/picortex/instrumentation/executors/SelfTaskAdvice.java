package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * Hands the instance, a task, to the hook before the method runs: {@code ForkJoinTask.fork()}.
 * Glue only.
 */
public final class SelfTaskAdvice {
  private SelfTaskAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@HookId int hook, @Advice.This Object self) {
    PicortexBridge.enter(hook, self, null);
  }
}
