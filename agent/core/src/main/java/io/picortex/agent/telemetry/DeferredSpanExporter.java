package io.picortex.agent.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.log.AgentLog;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An exporter built on an agent thread instead of in premain. Building the OTLP exporter creates a
 * JDK HttpClient (and with it an SSL context and the client's classes, which the agent itself
 * instruments): about a third of a second on the application's main thread at start-up. The batch
 * processor's worker, not the application, waits for it on the first export.
 */
final class DeferredSpanExporter implements SpanExporter {
  private static final AgentLog LOG = AgentLog.get(DeferredSpanExporter.class);
  private static final long WAIT_SECONDS = 30;

  private final CompletableFuture<SpanExporter> delegate = new CompletableFuture<>();
  private final String name;
  private final Supplier<SpanExporter> factory;

  DeferredSpanExporter(String name, Supplier<SpanExporter> factory) {
    this.name = name;
    this.factory = factory;
  }

  /**
   * Builds the real exporter on an agent thread. Called after the agent's transformer is in
   * place: the HttpClient classes the exporter loads are then woven as they load, on that thread,
   * instead of being retransformed later on the application's main thread.
   */
  void start() {
    AgentThreads.factory("exporter-setup")
        .newThread(
            () -> {
              try {
                delegate.complete(factory.get());
              } catch (Throwable t) {
                LOG.error("exporter could not be created; spans are dropped", t, "exporter", name);
                delegate.complete(null);
              }
            })
        .start();
  }

  private SpanExporter await() {
    try {
      return delegate.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    SpanExporter d = await();
    return d == null ? CompletableResultCode.ofFailure() : d.export(spans);
  }

  @Override
  public CompletableResultCode flush() {
    SpanExporter d = await();
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter d = await();
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return "Deferred{" + name + "}";
  }
}
