package io.picortex.instrumentation.httpclient;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

/**
 * {@code java.net.http.HttpClient}: the JDK hands applications a {@code HttpClientFacade}; its
 * public {@code send} and {@code sendAsync} are the application's calls (the implementation's
 * internal send/sendAsync chain is not matched, so one call is one span).
 */
public final class JavaHttpClientInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    CallDepth depth = new CallDepth();
    instrumenter
        .type("jdk.internal.net.http.HttpClientFacade")
        .advise(
            Methods.named("send").isPublic().takesArguments(2),
            Advice.onEnter(Advice.NOTHING, Advice.argument(0))
                .replacingArgument(0)
                .onExit(Advice.NOTHING, Advice.RETURNED),
            new SendHook(handlers.httpClient(), depth, false))
        .advise(
            Methods.named("sendAsync").isPublic(),
            Advice.onEnter(Advice.NOTHING, Advice.argument(0))
                .replacingArgument(0)
                .onExit(Advice.NOTHING, Advice.RETURNED)
                .replacingReturned(),
            new SendHook(handlers.httpClient(), depth, true));
  }
}
