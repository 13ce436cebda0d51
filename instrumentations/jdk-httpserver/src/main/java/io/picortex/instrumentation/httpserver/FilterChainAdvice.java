package io.picortex.instrumentation.httpserver;

import io.picortex.agent.install.HookId;
import net.bytebuddy.asm.Advice;

/** Woven into {@code Filter.Chain.doFilter(HttpExchange)}. Glue only. */
public final class FilterChainAdvice {
  private FilterChainAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@HookId int hook, @Advice.Argument(0) Object exchange) {
    return PicortexBridge.enter(hook, null, exchange);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.Argument(0) Object exchange,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, exchange, null, thrown);
  }
}
