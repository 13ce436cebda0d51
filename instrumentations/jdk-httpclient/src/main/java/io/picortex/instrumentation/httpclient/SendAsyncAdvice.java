package io.picortex.instrumentation.httpclient;

import io.picortex.agent.install.HookId;
import java.net.http.HttpRequest;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into {@code HttpClientFacade.sendAsync}: the returned future is replaced by one that
 * completes in the caller's context, so the application's callbacks still belong to its request.
 */
public final class SendAsyncAdvice {
  private SendAsyncAdvice() {}

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
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    future = PicortexBridge.exit(hook, state, null, future, thrown);
  }
}
