package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinPool.poolSubmit(boolean signalIfEmpty, ForkJoinTask)} (JDK 19+), where every
 * public submission method ends. {@code lazySubmit}, which virtual threads use to reschedule
 * themselves, passes false and is left alone. Glue only.
 */
public final class PoolSubmitAdvice {
  private PoolSubmitAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @HookId int hook,
      @Advice.This Object self,
      @Advice.Argument(0) boolean signalIfEmpty,
      @Advice.Argument(1) Object task) {
    if (signalIfEmpty) {
      PicortexBridge.enter(hook, self, task);
    }
  }
}
