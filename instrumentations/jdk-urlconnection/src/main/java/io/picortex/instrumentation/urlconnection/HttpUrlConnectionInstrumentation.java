package io.picortex.instrumentation.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;

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
    instrumenter
        .type("sun.net.www.protocol.http.HttpURLConnection")
        .advise(
            isPublic().and(named("connect").or(named("getOutputStream"))).and(takesArguments(0)),
            ConnectionAdvice.class,
            new ConnectionHook(state, depth, false))
        .advise(
            isPublic().and(named("getInputStream")).and(takesArguments(0)),
            ConnectionAdvice.class,
            new ConnectionHook(state, depth, true));
  }
}
