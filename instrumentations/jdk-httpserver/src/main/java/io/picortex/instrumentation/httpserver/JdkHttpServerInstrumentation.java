package io.picortex.instrumentation.httpserver;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

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
            Methods.named("doFilter").takesArguments(1),
            Advice.onEnter(Advice.NOTHING, Advice.argument(0))
                .onExit(Advice.argument(0), Advice.NOTHING),
            new FilterChainHook(handlers.httpServer()));
  }
}
