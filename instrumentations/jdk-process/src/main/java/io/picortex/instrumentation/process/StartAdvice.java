package io.picortex.instrumentation.process;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into {@code ProcessBuilder.start(Redirect[])}. Glue only. */
public final class StartAdvice {
  private StartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@HookId int hook, @Advice.This Object builder) {
    return PicortexBridge.enter(hook, builder, null);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.This Object builder,
      @Advice.Return Object process,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, builder, process, thrown);
  }
}
