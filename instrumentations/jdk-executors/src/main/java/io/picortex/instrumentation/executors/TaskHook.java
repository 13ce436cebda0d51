package io.picortex.instrumentation.executors;

import io.opentelemetry.context.Context;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.TaskContexts;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RunnableScheduledFuture;

/** The executor hooks: each turns one woven call into a {@link TaskContexts} step. */
final class TaskHook implements Hook {

  enum Kind {
    /** The argument is a task being queued: remember the current context for it. */
    CAPTURE_ARGUMENT,
    /** {@code ScheduledThreadPoolExecutor.delayedExecute}: as above, for one-shot tasks only. */
    CAPTURE_SCHEDULED,
    /** A {@code ForkJoinPool} submission: as above, unless the pool schedules virtual threads. */
    CAPTURE_POOL_SUBMISSION,
    /** The instance is the task being queued ({@code ForkJoinTask.fork()}). */
    CAPTURE_SELF,
    /** The argument is a task that will not run (rejected). */
    FORGET_ARGUMENT,
    /** {@code ForkJoinTask.doExec}: the instance runs now, in its context. */
    RUN_SELF,
    /** {@code ThreadPoolExecutor.beforeExecute}: the argument runs next on this thread. */
    BEFORE_EXECUTE,
    /** {@code ThreadPoolExecutor.afterExecute}: the task ran. */
    AFTER_EXECUTE,
    /**
     * A runnable handed to a new thread, where nothing but that thread sees it (a virtual thread's
     * task, {@code CompletableFuture}'s thread per task): run it in the current context.
     */
    WRAP_ARGUMENT
  }

  private final TaskContexts contexts;
  private final Kind kind;

  TaskHook(TaskContexts contexts, Kind kind) {
    this.contexts = contexts;
    this.kind = kind;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    switch (kind) {
      case CAPTURE_ARGUMENT:
        contexts.capture(argument);
        return null;
      case CAPTURE_SCHEDULED:
        // a periodic task would otherwise join the request that scheduled it forever
        if (!(argument instanceof RunnableScheduledFuture<?> f) || !f.isPeriodic()) {
          contexts.capture(argument);
        }
        return null;
      case CAPTURE_POOL_SUBMISSION:
        capturePoolSubmission(self, argument);
        return null;
      case CAPTURE_SELF:
        contexts.capture(self);
        return null;
      case FORGET_ARGUMENT:
        contexts.forget(argument);
        return null;
      case RUN_SELF:
        return contexts.enter(self);
      case BEFORE_EXECUTE:
        contexts.beforeExecute(argument);
        return null;
      case AFTER_EXECUTE:
        contexts.afterExecute();
        return null;
      case WRAP_ARGUMENT:
        return TaskContexts.toCarry();
      default:
        return null;
    }
  }

  @Override
  public Object onArgument(Object state, Object original) {
    if (state instanceof Context context && original instanceof Runnable task) {
      return TaskContexts.wrap(task, context);
    }
    return original;
  }

  @Override
  public Object onExit(Object state, Object self, Object result, Throwable thrown) {
    TaskContexts.close(state);
    return result;
  }

  private void capturePoolSubmission(Object self, Object task) {
    Context context = TaskContexts.toCarry();
    if (context == null
        || (self instanceof ForkJoinPool pool && schedulesVirtualThreads(pool))) {
      return;
    }
    contexts.capture(task, context);
  }

  /**
   * The JDK's virtual-thread scheduler: a virtual thread's continuation is pushed there each time
   * it is unparked. That is no task of the application's (the virtual thread carries its own
   * context, see {@link Kind#WRAP_ARGUMENT}), so nothing is carried there. Its worker factory is a
   * lambda of {@code java.lang.VirtualThread}.
   */
  private static boolean schedulesVirtualThreads(ForkJoinPool pool) {
    Object factory = pool.getFactory();
    return factory != null && factory.getClass().getName().startsWith("java.lang.VirtualThread");
  }
}
