package io.picortex.instrumentation.httpclient;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.HttpClientHandler;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** One CLIENT span per send/sendAsync, headers added by rebuilding the (immutable) request. */
final class SendHook implements Hook, HttpClientHandler.Adapter<SendHook.Outgoing> {

  /** The application's request and the headers we want to add to it. */
  static final class Outgoing {
    final HttpRequest request;
    final List<String> headers = new ArrayList<>(8);
    HttpClientHandler.Call call;

    Outgoing(HttpRequest request) {
      this.request = request;
    }
  }

  private final HttpClientHandler handler;
  private final CallDepth depth;
  private final boolean async;

  SendHook(HttpClientHandler handler, CallDepth depth, boolean async) {
    this.handler = handler;
    this.depth = depth;
    this.async = async;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    if (depth.enter() > 1 || !(argument instanceof HttpRequest request)) {
      return null;
    }
    Outgoing outgoing = new Outgoing(request);
    outgoing.call = handler.start(outgoing, this);
    return outgoing;
  }

  @Override
  public Object onArgument(Object state, Object original) {
    Outgoing outgoing = (Outgoing) state;
    if (outgoing.headers.isEmpty()) {
      return original;
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(outgoing.request, (name, value) -> true);
    for (int i = 0; i + 1 < outgoing.headers.size(); i += 2) {
      builder.header(outgoing.headers.get(i), outgoing.headers.get(i + 1));
    }
    return builder.build();
  }

  @Override
  public Object onExit(Object state, Object self, Object result, Throwable thrown) {
    try {
      if (!(state instanceof Outgoing outgoing)) {
        return result;
      }
      HttpClientHandler.Call call = outgoing.call;
      if (thrown != null || !async) {
        handler.end(call, result instanceof HttpResponse<?> r ? r.statusCode() : -1, thrown);
        return result;
      }
      if (!(result instanceof CompletableFuture<?> original)) {
        handler.end(call, -1, null);
        return result;
      }
      return inCallersContext(original, call);
    } finally {
      depth.exit();
    }
  }

  /**
   * A future that completes when the client's does, inside the caller's context: callbacks the
   * application chains on it (and that run when it completes) see the caller's trace and request
   * ID. Cancelling it cancels the client's future, as cancelling the original would.
   */
  private CompletableFuture<Object> inCallersContext(
      CompletableFuture<?> original, HttpClientHandler.Call call) {
    CallerContextFuture wrapped = new CallerContextFuture(original);
    original.whenComplete(
        (response, error) -> {
          handler.end(call, response instanceof HttpResponse<?> r ? r.statusCode() : -1, error);
          wrapped.completeFrom(response, error, call.parentContext());
        });
    return wrapped;
  }

  /**
   * The future {@code sendAsync} returns to the application. The JDK's client completes the
   * original on one of its own threads, and on a machine with fewer than three cores on a new
   * thread per call (the default async executor). When nothing but waiting threads depends on this
   * future (the common {@code sendAsync(...).get()}), completing it runs no application code, so
   * the caller's context is not made current there: that would create the new thread's
   * thread-local map, its first allocation, for nothing. Any stage chained on it ({@link
   * #newIncompleteFuture}), or any dependent that is not one of the counted waiters (e.g. {@code
   * allOf}), and the context is made current as before.
   */
  static final class CallerContextFuture extends CompletableFuture<Object> {
    private static final AtomicIntegerFieldUpdater<CallerContextFuture> WAITERS =
        AtomicIntegerFieldUpdater.newUpdater(CallerContextFuture.class, "waiters");

    private final CompletableFuture<?> original;
    private volatile boolean chained;
    private volatile int waiters;

    CallerContextFuture(CompletableFuture<?> original) {
      this.original = original;
    }

    void completeFrom(Object response, Throwable error, Context context) {
      if (chained || getNumberOfDependents() > waiters) {
        try (Scope ignored = context.makeCurrent()) {
          completeWith(response, error);
        }
      } else {
        completeWith(response, error);
      }
    }

    private void completeWith(Object response, Throwable error) {
      if (error != null) {
        completeExceptionally(error);
      } else {
        complete(response);
      }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      chained = true;
      return new CompletableFuture<>();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (isCancelled()) {
        original.cancel(mayInterruptIfRunning);
      }
      return cancelled;
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
      boolean completed = super.completeExceptionally(error);
      if (completed && isCancelled()) {
        original.cancel(true);
      }
      return completed;
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
      WAITERS.incrementAndGet(this);
      try {
        return super.get();
      } finally {
        WAITERS.decrementAndGet(this);
      }
    }

    @Override
    public Object get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      WAITERS.incrementAndGet(this);
      try {
        return super.get(timeout, unit);
      } finally {
        WAITERS.decrementAndGet(this);
      }
    }

    @Override
    public Object join() {
      WAITERS.incrementAndGet(this);
      try {
        return super.join();
      } finally {
        WAITERS.decrementAndGet(this);
      }
    }
  }

  @Override
  public String method(Outgoing outgoing) {
    return outgoing.request.method();
  }

  @Override
  public URI uri(Outgoing outgoing) {
    return outgoing.request.uri();
  }

  @Override
  public String header(Outgoing outgoing, String name) {
    String existing = outgoing.request.headers().firstValue(name).orElse(null);
    if (existing != null) {
      return existing;
    }
    for (int i = 0; i + 1 < outgoing.headers.size(); i += 2) {
      if (outgoing.headers.get(i).equalsIgnoreCase(name)) {
        return outgoing.headers.get(i + 1);
      }
    }
    return null;
  }

  @Override
  public void setHeader(Outgoing outgoing, String name, String value) {
    outgoing.headers.add(name);
    outgoing.headers.add(value);
  }
}
