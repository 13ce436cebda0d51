package io.picortex.instrumentation.process;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;

/**
 * Child processes. {@code ProcessBuilder.start()}, {@code ProcessBuilder.startPipeline} and {@code
 * Runtime.exec} all end in the private {@code ProcessBuilder.start(Redirect[])}, the same on JDK 17
 * and 25, so that one method is woven.
 */
public final class ProcessInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "process";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    instrumenter
        .type("java.lang.ProcessBuilder")
        .advise(
            isPrivate().and(named("start")).and(takesArguments(1)),
            StartAdvice.class,
            new StartHook(handlers.process()));
  }
}
