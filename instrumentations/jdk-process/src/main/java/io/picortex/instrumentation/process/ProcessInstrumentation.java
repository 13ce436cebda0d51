package io.picortex.instrumentation.process;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

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
            Methods.named("start").isPrivate().takesArguments(1),
            Advice.onEnter(Advice.THIS, Advice.NOTHING).onExit(Advice.THIS, Advice.RETURNED),
            new StartHook(handlers.process()));
  }
}
