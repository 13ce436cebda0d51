package io.picortex.instrumentation.process;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

/**
 * Child processes. {@code ProcessBuilder.start()}, {@code ProcessBuilder.startPipeline} and {@code
 * Runtime.exec} all end in the private {@code ProcessBuilder.start(Redirect[])}, the same on JDK 17
 * and 25, so that one method is woven for the span; {@code ProcessEnvironment.toEnvironmentBlock}
 * is woven to hand our variables to a child that inherits the JVM's environment.
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
    // Unix JDKs: where the child inherits the JVM's environment, our variables go into the block
    // the JDK hands to the child, instead of into a copy of the whole environment (see
    // InheritedEnvironment). Without this method (Windows) starts use environment() as before.
    instrumenter
        .type("java.lang.ProcessEnvironment")
        .advise(
            Methods.named("toEnvironmentBlock").isStatic().takes("java.util.Map", "int[]"),
            Advice.onEnter(Advice.NOTHING, Advice.NOTHING)
                .onExit(Advice.argument(1), Advice.RETURNED)
                .replacingReturned(),
            new EnvironmentBlockHook(handlers.process()));
  }
}
