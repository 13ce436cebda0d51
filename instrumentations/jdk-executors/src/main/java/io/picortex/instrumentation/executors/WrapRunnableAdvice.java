package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * {@code CompletableFuture$ThreadPerTaskExecutor.execute(Runnable)} (JDK 17, common pool
 * parallelism below 2): the runnable goes to a new thread the application never sees, so the hook
 * may hand back one that runs it in the current context. Glue only.
 */
public final class WrapRunnableAdvice {
  private WrapRunnableAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @HookId int hook, @Advice.Argument(value = 0, readOnly = false) Runnable task) {
    Object state = PicortexBridge.enter(hook, null, task);
    task = (Runnable) PicortexBridge.argument(hook, state, task);
  }
}
