package io.picortex.agent.install;

import io.picortex.agent.handler.Handlers;

/**
 * One instrumented library or JDK API, discovered through {@link java.util.ServiceLoader}: adding a
 * library means adding a module that implements this and lists itself in {@code
 * META-INF/services/io.picortex.agent.install.InstrumentationModule}.
 */
public interface InstrumentationModule {

  /** The name users switch it off by: {@code otel.instrumentation.<name>.enabled=false}. */
  String name();

  /** Declares what to weave where; called once at start-up when the module is enabled. */
  void instrument(Instrumenter instrumenter, Handlers handlers);
}
