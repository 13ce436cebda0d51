package io.picortex.instrumentation.executors;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadBuilders.newVirtualThread(Executor, String, int, Runnable)} (JDK 21+, static),
 * where every virtual thread is created: the thread's task, which nothing outside the thread can
 * see, may be replaced by one that runs it in the creator's context. Glue only.
 */
public final class NewVirtualThreadAdvice {
  private NewVirtualThreadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @HookId int hook, @Advice.Argument(value = 3, readOnly = false) Runnable task) {
    Object state = PicortexBridge.enter(hook, null, task);
    task = (Runnable) PicortexBridge.argument(hook, state, task);
  }
}
