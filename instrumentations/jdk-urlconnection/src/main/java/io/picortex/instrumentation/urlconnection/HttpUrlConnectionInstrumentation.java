package io.picortex.instrumentation.urlconnection;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it. Only {@code
 * sun.net.www.protocol.http.HttpURLConnection} is woven: HTTPS connections delegate every call to
 * an instance of a subclass of it, so one logical request is one span without special cases.
 * {@code connect} and {@code getOutputStream} start the span (headers must go out first); {@code
 * getInputStream}, which {@code getResponseCode} and {@code getHeaderField} also go through, ends it.
 */
public final class HttpUrlConnectionInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    CallDepth depth = new CallDepth();
    ConnectionState state = new ConnectionState(handlers.httpClient());
    Advice advice = Advice.onEnter(Advice.THIS, Advice.NOTHING).onExit(Advice.THIS, Advice.NOTHING);
    instrumenter
        .type("sun.net.www.protocol.http.HttpURLConnection")
        .advise(
            Methods.named("connect", "getOutputStream").isPublic().takesArguments(0),
            advice,
            new ConnectionHook(state, depth, false))
        .advise(
            Methods.named("getInputStream").isPublic().takesArguments(0),
            advice,
            new ConnectionHook(state, depth, true));
  }
}
