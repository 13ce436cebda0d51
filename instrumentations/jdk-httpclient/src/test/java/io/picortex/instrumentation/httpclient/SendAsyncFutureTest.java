package io.picortex.instrumentation.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.handler.Tracing;
import io.picortex.agent.ids.UlidIdGenerator;
import io.picortex.agent.propagation.W3CTraceContextPropagator;
import io.picortex.agent.trace.LightTracer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * The future {@code sendAsync} hands back: the client span ends when the client's future
 * completes, stages chained on it run in the caller's context, and when only waiting threads
 * depend on it, completing it allocates nothing on the completing thread (the JDK completes it on a
 * new thread per call on machines with fewer than three cores).
 *
 * <p>The span processor here only counts. The SDK's {@code BatchSpanProcessor}, which the agent
 * uses, allocates 16 bytes in {@code onEnd} (a {@code queue::size} lambda for its queue metrics)
 * until C2 compiles it and escape analysis removes the lambda, so in the application that thread
 * may still take a TLAB, depending on how far compilation has got: this test proves our part.
 */
class SendAsyncFutureTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final AtomicLong ended = new AtomicLong();
  private final LightTracer tracer =
      new LightTracer(Resource.getDefault(), "test", UlidIdGenerator.getInstance(),
          Sampler.alwaysOn(), new CountingProcessor(ended));
  private final SendHook hook =
      new SendHook(
          Handlers.create(new Tracing(tracer, W3CTraceContextPropagator.getInstance(),
              "X-Request-ID", "PICORTEX_REQUEST_ID", null)).httpClient(),
          new CallDepth(), true);
  private final HttpRequest request =
      HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/api/downstream")).build();

  @SuppressWarnings("unchecked")
  private CompletableFuture<Object> sendAsync(CompletableFuture<HttpResponse<String>> original) {
    Object state = hook.onEnter(null, request);
    return (CompletableFuture<Object>) hook.onExit(state, null, original, null);
  }

  /** Completes {@code original} on a new thread, as the JDK does; returns the bytes it allocated. */
  private static long completeOnNewThread(CompletableFuture<HttpResponse<String>> original)
      throws InterruptedException {
    AtomicLong allocated = new AtomicLong(-1);
    HttpResponse<String> response = new Ok();
    Thread completer = new Thread(() -> {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      original.complete(response);
      allocated.set(THREADS.getCurrentThreadAllocatedBytes() - before);
    });
    completer.start();
    completer.join(10_000);
    return allocated.get();
  }

  @Test
  void aStageChainedOnTheFutureRunsInTheCallersContext() throws Exception {
    Span caller = tracer.spanBuilder("caller").startSpan();
    CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
    CompletableFuture<String> seen;
    try (Scope ignored = caller.makeCurrent()) {
      seen = sendAsync(original).thenApply(r -> Span.current().getSpanContext().getTraceId());
    }
    assertThat(completeOnNewThread(original)).isNotNegative();
    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(caller.getSpanContext().getTraceId());
    assertThat(ended.get()).as("client span ended").isEqualTo(1);
    caller.end();
  }

  @Test
  void aDependentAddedWithoutChainingOnTheFutureAlsoRunsInTheCallersContext() throws Exception {
    // allOf pushes its relay onto the future without newIncompleteFuture: only the dependents
    // count tells it apart from a waiting thread.
    Span caller = tracer.spanBuilder("caller").startSpan();
    CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
    CompletableFuture<String> seen;
    try (Scope ignored = caller.makeCurrent()) {
      seen = CompletableFuture.allOf(sendAsync(original))
          .thenApply(v -> Span.current().getSpanContext().getTraceId());
    }
    assertThat(completeOnNewThread(original)).isNotNegative();
    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(caller.getSpanContext().getTraceId());
    caller.end();
  }

  @Test
  void completingForAWaitingCallerAllocatesNothingOnTheCompletingThread() throws Exception {
    int zero = 0;
    int rounds = 400;
    int measured = 100;
    for (int i = 0; i < rounds; i++) {
      CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
      CompletableFuture<Object> returned = sendAsync(original);
      AtomicReference<Object> got = new AtomicReference<>();
      Thread waiter = new Thread(() -> got.set(returned.join()));
      waiter.start();
      long allocated = completeOnNewThread(original);
      waiter.join(10_000);
      assertThat(got.get()).isInstanceOf(Ok.class);
      if (i >= rounds - measured && allocated == 0) {
        zero++;
      }
    }
    assertThat(ended.get()).isEqualTo(rounds);
    // Once warm, the span's end and the completion allocate nothing there; a rare exception (the
    // span clock renewing its anchor, once a minute) is allowed for.
    assertThat(zero).as("completions that allocated nothing, of the last " + measured).isGreaterThanOrEqualTo(measured - 5);
  }

  @Test
  void aChainedStageMakesTheCallersContextCurrentThereWhichAllocates() throws Exception {
    // The control for the test above: the same measurement does see the thread-local map and the
    // scope that making a context current on a new thread costs.
    long allocated = -1;
    for (int i = 0; i < 200; i++) {
      CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
      CompletableFuture<Object> returned = sendAsync(original);
      CompletableFuture<Object> chained = returned.thenApply(r -> r);
      allocated = completeOnNewThread(original);
      assertThat(chained.get(10, TimeUnit.SECONDS)).isInstanceOf(Ok.class);
    }
    assertThat(allocated).isPositive();
  }

  @Test
  void cancellingTheReturnedFutureCancelsTheClientsAndEndsTheSpan() {
    CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
    CompletableFuture<Object> returned = sendAsync(original);
    assertThat(returned.cancel(true)).isTrue();
    assertThat(original.isCancelled()).isTrue();
    assertThat(ended.get()).isEqualTo(1);

    CompletableFuture<HttpResponse<String>> other = new CompletableFuture<>();
    sendAsync(other).completeExceptionally(new java.util.concurrent.CancellationException());
    assertThat(other.isCancelled()).isTrue();
  }

  @Test
  void theCallersContextIsNotLeftCurrentOnTheCompletingThread() throws Exception {
    Span caller = tracer.spanBuilder("caller").startSpan();
    CompletableFuture<HttpResponse<String>> original = new CompletableFuture<>();
    try (Scope ignored = caller.makeCurrent()) {
      sendAsync(original).thenApply(r -> r);
    }
    AtomicReference<Context> after = new AtomicReference<>();
    Thread completer = new Thread(() -> {
      original.complete(new Ok());
      after.set(Context.current());
    });
    completer.start();
    completer.join(10_000);
    assertThat(after.get()).isSameAs(Context.root());
    caller.end();
  }

  /** Counts ended spans; allocates nothing. */
  private record CountingProcessor(AtomicLong ended) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.incrementAndGet();
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** A 200 response. */
  private static final class Ok implements HttpResponse<String> {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public String body() {
      return "ok";
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return URI.create("http://127.0.0.1:9/api/downstream");
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
