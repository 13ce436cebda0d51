package io.picortex.instrumentation.executors;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.handler.TaskContexts;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;
import io.picortex.instrumentation.executors.TaskHook.Kind;

/**
 * The context follows work handed to other threads. The tasks are never wrapped: the context is
 * remembered per task object at submission and made current around the task where it runs (see
 * {@link TaskContexts}). Only the JDK's own classes are woven, in their own methods; a target that
 * does not exist on the running JDK is never matched.
 *
 * <ul>
 *   <li>{@code ThreadPoolExecutor}: {@code execute} remembers, {@code beforeExecute}/{@code
 *       afterExecute} (the TPE's own, empty methods, called by every worker around every task)
 *       restore, {@code reject} forgets. {@code ScheduledThreadPoolExecutor} queues through the
 *       private {@code delayedExecute} instead of {@code execute}; its periodic tasks carry nothing.
 *   <li>{@code ForkJoinPool}: every public submission ends in the private {@code externalSubmit}
 *       (JDK 17) or {@code poolSubmit} (JDK 19+); {@code ForkJoinTask.fork()} pushes directly.
 *       Every run of a task goes through {@code ForkJoinTask.doExec()} (returning int on 17, void
 *       on 25), also when a thread runs it inline while joining. {@code CompletableFuture}'s async
 *       methods run their stages as ForkJoinTasks on the common pool; when that pool has a
 *       parallelism below 2, JDK 17 starts one thread per stage instead ({@code
 *       CompletableFuture$ThreadPerTaskExecutor}), whose runnable is handed to the new thread
 *       inside the submitter's context.
 *   <li>Virtual threads (JDK 21+): every one is created by the static {@code
 *       ThreadBuilders.newVirtualThread} ({@code Thread.ofVirtual()}, {@code
 *       Thread.startVirtualThread}, {@code Executors.newVirtualThreadPerTaskExecutor()}); the task
 *       it is given, which only the new thread ever sees, is wrapped to run in the creator's
 *       context. {@code java.lang.VirtualThread} itself, loaded by every JVM at boot, is not woven,
 *       so nothing is retransformed for it at start-up; and a virtual thread's continuation, which
 *       its scheduler (a ForkJoinPool) runs at every unpark, carries nothing.
 * </ul>
 */
public final class ExecutorsInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "executors";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    TaskContexts contexts = new TaskContexts();
    Advice taskArgument = Advice.onEnter(Advice.THIS, Advice.argument(0));

    instrumenter
        .type("java.util.concurrent.ThreadPoolExecutor")
        .advise(
            Methods.named("execute").isPublic().takes("java.lang.Runnable"),
            taskArgument,
            new TaskHook(contexts, Kind.CAPTURE_ARGUMENT))
        .advise(
            Methods.named("reject").takes("java.lang.Runnable"),
            taskArgument,
            new TaskHook(contexts, Kind.FORGET_ARGUMENT))
        .advise(
            Methods.named("beforeExecute").isProtected()
                .takes("java.lang.Thread", "java.lang.Runnable"),
            Advice.onEnter(Advice.THIS, Advice.argument(1)),
            new TaskHook(contexts, Kind.BEFORE_EXECUTE))
        .advise(
            Methods.named("afterExecute").isProtected()
                .takes("java.lang.Runnable", "java.lang.Throwable"),
            taskArgument,
            new TaskHook(contexts, Kind.AFTER_EXECUTE));

    instrumenter
        .type("java.util.concurrent.ScheduledThreadPoolExecutor")
        .advise(
            Methods.named("delayedExecute").isPrivate().takesArguments(1),
            taskArgument,
            new TaskHook(contexts, Kind.CAPTURE_SCHEDULED));

    TaskHook poolSubmission = new TaskHook(contexts, Kind.CAPTURE_POOL_SUBMISSION);
    instrumenter
        .type("java.util.concurrent.ForkJoinPool")
        // JDK 17: private; on JDK 19+ externalSubmit is public and used by virtual threads only
        .advise(
            Methods.named("externalSubmit").isPrivate().takesArguments(1),
            taskArgument,
            poolSubmission)
        .advise(
            Methods.named("poolSubmit").isPrivate().takesArguments(2)
                .takesArgument(0, "boolean"),
            Advice.onEnter(Advice.THIS, Advice.argument(1)).onlyIfTrue(0),
            poolSubmission);

    instrumenter
        .type("java.util.concurrent.ForkJoinTask")
        .advise(
            Methods.named("fork").isPublic().takesArguments(0),
            Advice.onEnter(Advice.THIS, Advice.NOTHING),
            new TaskHook(contexts, Kind.CAPTURE_SELF))
        .advise(
            Methods.named("doExec").takesArguments(0),
            Advice.onEnter(Advice.THIS, Advice.NOTHING).onExit(Advice.THIS, Advice.NOTHING),
            new TaskHook(contexts, Kind.RUN_SELF));

    TaskHook wrap = new TaskHook(contexts, Kind.WRAP_ARGUMENT);
    instrumenter
        .type("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor")
        .advise(
            Methods.named("execute").isPublic().takes("java.lang.Runnable"),
            Advice.onEnter(Advice.NOTHING, Advice.argument(0)).replacingArgument(0),
            wrap);

    instrumenter
        .type("java.lang.ThreadBuilders")
        .advise(
            Methods.named("newVirtualThread").isStatic().takesArguments(4)
                .takesArgument(3, "java.lang.Runnable"),
            Advice.onEnter(Advice.NOTHING, Advice.argument(3)).replacingArgument(3),
            wrap);
  }
}
