package io.picortex.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isProtected;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.handler.Handlers;
import io.picortex.agent.handler.TaskContexts;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;
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

    instrumenter
        .type("java.util.concurrent.ThreadPoolExecutor")
        .advise(
            isPublic().and(named("execute")).and(takesArguments(Runnable.class)),
            TaskArgumentAdvice.class,
            new TaskHook(contexts, Kind.CAPTURE_ARGUMENT))
        .advise(
            named("reject").and(takesArguments(Runnable.class)),
            TaskArgumentAdvice.class,
            new TaskHook(contexts, Kind.FORGET_ARGUMENT))
        .advise(
            isProtected().and(named("beforeExecute")).and(takesArguments(Thread.class, Runnable.class)),
            BeforeExecuteAdvice.class,
            new TaskHook(contexts, Kind.BEFORE_EXECUTE))
        .advise(
            isProtected().and(named("afterExecute")).and(takesArguments(Runnable.class, Throwable.class)),
            TaskArgumentAdvice.class,
            new TaskHook(contexts, Kind.AFTER_EXECUTE));

    instrumenter
        .type("java.util.concurrent.ScheduledThreadPoolExecutor")
        .advise(
            isPrivate().and(named("delayedExecute")).and(takesArguments(1)),
            TaskArgumentAdvice.class,
            new TaskHook(contexts, Kind.CAPTURE_SCHEDULED));

    TaskHook poolSubmission = new TaskHook(contexts, Kind.CAPTURE_POOL_SUBMISSION);
    instrumenter
        .type("java.util.concurrent.ForkJoinPool")
        // JDK 17: private; on JDK 19+ externalSubmit is public and used by virtual threads only
        .advise(
            isPrivate().and(named("externalSubmit")).and(takesArguments(1)),
            TaskArgumentAdvice.class,
            poolSubmission)
        .advise(
            isPrivate().and(named("poolSubmit")).and(takesArguments(2))
                .and(takesArgument(0, boolean.class)),
            PoolSubmitAdvice.class,
            poolSubmission);

    instrumenter
        .type("java.util.concurrent.ForkJoinTask")
        .advise(
            isPublic().and(named("fork")).and(takesArguments(0)),
            SelfTaskAdvice.class,
            new TaskHook(contexts, Kind.CAPTURE_SELF))
        .advise(
            named("doExec").and(takesArguments(0)),
            RunTaskAdvice.class,
            new TaskHook(contexts, Kind.RUN_SELF));

    TaskHook wrap = new TaskHook(contexts, Kind.WRAP_ARGUMENT);
    instrumenter
        .type("java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor")
        .advise(
            isPublic().and(named("execute")).and(takesArguments(Runnable.class)),
            WrapRunnableAdvice.class,
            wrap);

    instrumenter
        .type("java.lang.ThreadBuilders")
        .advise(
            isStatic().and(named("newVirtualThread")).and(takesArguments(4))
                .and(takesArgument(3, Runnable.class)),
            NewVirtualThreadAdvice.class,
            wrap);
  }
}
