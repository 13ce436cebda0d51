package io.picortex.instrumentation.httpserver;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;

/**
 * {@code com.sun.net.httpserver}: every request passes through {@code Filter.Chain.doFilter} (the
 * server's own chain, then the context's filters, then the handler); the outermost call is the
 * request. Public API, the same on every JDK since 6, and nothing of the application's handler
 * classes has to be matched.
 */
public final class JdkHttpServerInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "java-http-server";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    instrumenter
        .type("com.sun.net.httpserver.Filter$Chain")
        .advise(
            named("doFilter").and(takesArguments(1)),
            FilterChainAdvice.class,
            new FilterChainHook(handlers.httpServer()));
  }
}
