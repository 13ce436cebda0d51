package io.picortex.instrumentation.httpclient;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;

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
            isPublic().and(named("send")).and(takesArguments(2)),
            SendAdvice.class,
            new SendHook(handlers.httpClient(), depth, false))
        .advise(
            isPublic().and(named("sendAsync")),
            SendAsyncAdvice.class,
            new SendHook(handlers.httpClient(), depth, true));
  }
}
