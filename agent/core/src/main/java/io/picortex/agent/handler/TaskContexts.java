package io.picortex.agent.handler;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.lang.ref.ReferenceQueue;
import io.picortex.agent.util.IdentityKeys;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the context (our span and request ID) follow work handed to other threads, without
 * wrapping the application's tasks: at submission the current context is remembered, keyed by the
 * task object itself; when a thread runs that task the context is made current around it and the
 * thread's previous context is put back afterwards. The executor's queue, {@code shutdownNow()},
 * {@code remove()} and {@code getQueue()} keep seeing the application's own objects.
 *
 * <p>Cost: code that runs without a context allocates nothing: one thread-local read per
 * submission, one emptiness check per task run (plus, on a {@code ThreadPoolExecutor} worker, one
 * thread-local read in {@code beforeExecute} and one in {@code afterExecute}). A submission with a
 * context stores one entry (a weak identity key and a map node); its run removes it and allocates
 * the scope. Keys are held weakly, so a task that never runs (discarded, cancelled, returned by
 * {@code shutdownNow()}) does not keep its context alive, and the map is bounded: when full,
 * further submissions simply go without context (counted). While entries are pending, running a
 * task that carries none costs a lookup (one small probe object).
 *
 * <p>Limit of keying by the task: when one object is queued twice before it runs (the same
 * {@code Runnable} instance passed to {@code execute} twice, from different contexts), neither run
 * carries a context: which run belongs to which submitter cannot be told.
 *
 * <p>The map is its own {@link ConcurrentHashMap} (keys from {@link IdentityKeys}, like {@code
 * WeakIdentityMap}'s) because it needs what that map does not offer: an atomic merge for a task
 * queued twice, and dropping new entries rather than old ones when full.
 */
public final class TaskContexts {

  /** Enough for a deep backlog of traced tasks; past it tasks run without the submitter's context. */
  public static final int DEFAULT_CAPACITY = 1 << 16;

  private final ConcurrentHashMap<Object, Context> contexts = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final int capacity;
  private final AtomicLong dropped = new AtomicLong();
  /** The scope a pool thread opened in {@code beforeExecute}, for {@code afterExecute} to close. */
  private final ThreadLocal<Restored> running = new ThreadLocal<>();

  public TaskContexts() {
    this(DEFAULT_CAPACITY);
  }

  public TaskContexts(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  // ---------------------------------------------------------------- submission side

  /** The current context, or null when there is none worth carrying (the root context). */
  public static Context toCarry() {
    Context current = Context.current();
    return current == Context.root() ? null : current;
  }

  /** Remembers the current context for {@code task}, unless there is none worth carrying. */
  public void capture(Object task) {
    capture(task, toCarry());
  }

  /** Remembers {@code context} (from {@link #toCarry()}) for {@code task}; null does nothing. */
  public void capture(Object task, Context context) {
    if (task == null || context == null) {
      return;
    }
    purge();
    if (contexts.size() >= capacity) {
      dropped.incrementAndGet();
      return;
    }
    contexts.merge(new IdentityKeys.Weak<>(task, collected), context, TaskContexts::ambiguous);
  }

  /**
   * The same task object queued again before it ran (a lambda that captures nothing is one shared
   * instance): which run belongs to which submitter is unknown, so neither carries a context
   * rather than one carrying the wrong one. The root context marks that.
   */
  private static Context ambiguous(Context queued, Context again) {
    return queued == again ? queued : Context.root();
  }

  /** Drops what {@link #capture} stored for a task that will not run (a rejected one). */
  public void forget(Object task) {
    take(task);
  }

  /**
   * {@code task} unchanged when {@code context} is null, otherwise a runnable that runs it inside
   * {@code context}. Only for tasks handed to a thread the application never sees (the JDK's own
   * thread-per-task executors, a virtual thread's first mount), where wrapping changes nothing the
   * application can observe.
   */
  public static Runnable wrap(Runnable task, Context context) {
    return task == null || context == null ? task : new InContext(task, context);
  }

  // ---------------------------------------------------------------- running side

  /** The context captured for {@code task}, removed from the map; null when there is none. */
  public Context take(Object task) {
    if (task == null || contexts.isEmpty()) {
      return null;
    }
    Context context = contexts.remove(new IdentityKeys.Probe(task));
    return context == Context.root() ? null : context;
  }

  /**
   * Makes the context captured for {@code task} current around its run.
   *
   * @return what {@link #close} needs afterwards, or null when the task carries nothing
   */
  public Restored enter(Object task) {
    Context context = take(task);
    return context == null ? null : open(context);
  }

  /** Makes {@code context} current on this thread until {@link #close}. */
  public static Restored open(Context context) {
    Context previous = Context.current();
    return new Restored(previous, context.makeCurrent());
  }

  /**
   * Ends what {@link #enter} or {@link #open} started on this thread: the thread's previous
   * context is current again, even if the task left a scope of its own open.
   */
  public static void close(Object restored) {
    if (restored instanceof Restored r) {
      r.close();
    }
  }

  /**
   * {@code ThreadPoolExecutor.beforeExecute}: makes the task's context current until {@link
   * #afterExecute} on this thread. A scope still open from an earlier task (an {@code
   * afterExecute} override that does not call {@code super}) is closed first.
   */
  public void beforeExecute(Object task) {
    Restored stale = running.get();
    if (stale != null) {
      running.set(null);
      stale.close();
    }
    Restored restored = enter(task);
    if (restored != null) {
      running.set(restored);
    }
  }

  /** {@code ThreadPoolExecutor.afterExecute}: puts back the context the pool thread had before. */
  public void afterExecute() {
    Restored restored = running.get();
    if (restored != null) {
      running.set(null);
      restored.close();
    }
  }

  // ---------------------------------------------------------------- introspection

  /** Contexts waiting for their task to run (after purging collected tasks). */
  public int pending() {
    purge();
    return contexts.size();
  }

  /** Submissions that went without context because the map was full. */
  public long dropped() {
    return dropped.get();
  }

  private void purge() {
    Object ref;
    while ((ref = collected.poll()) != null) {
      contexts.remove(ref);
    }
  }

  /** A context made current by {@link #enter}/{@link #open}, and the one to put back after. */
  public static final class Restored {
    private final Context previous;
    private final Scope scope;
    private boolean closed;

    Restored(Context previous, Scope scope) {
      this.previous = previous;
      this.scope = scope;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      scope.close();
      if (Context.current() != previous) {
        // the task left a scope open: the pool thread must not keep it. The scope this returns
        // would only undo the repair, so it is dropped on purpose.
        @SuppressWarnings({"unused", "resource"})
        Scope repair = ContextStorage.get().attach(previous);
      }
    }
  }

  /** Runs a task inside a context, then puts the thread's previous context back. */
  static final class InContext implements Runnable {
    private final Runnable task;
    private final Context context;

    InContext(Runnable task, Context context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public void run() {
      Restored restored = open(context);
      try {
        task.run();
      } finally {
        restored.close();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }
}
