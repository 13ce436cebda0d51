package io.picortex.instrumentation.httpclient;

import io.picortex.agent.install.HookId;
import java.net.http.HttpRequest;
import net.bytebuddy.asm.Advice;

/** Woven into {@code HttpClientFacade.send}: the request may be replaced by one with our headers. */
public final class SendAdvice {
  private SendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @HookId int hook, @Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
    Object state = PicortexBridge.enter(hook, null, request);
    request = (HttpRequest) PicortexBridge.argument(hook, state, request);
    return state;
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(
      @HookId int hook,
      @Advice.Enter Object state,
      @Advice.Return Object response,
      @Advice.Thrown Throwable thrown) {
    PicortexBridge.exit(hook, state, null, response, thrown);
  }
}
