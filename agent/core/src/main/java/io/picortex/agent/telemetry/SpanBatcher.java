package io.picortex.agent.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.log.AgentLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands ended spans to an exporter in batches, on one agent thread: what the SDK's {@code
 * BatchSpanProcessor} does, with the same {@code otel.bsp.*} settings, but with nothing allocated
 * on the thread that ends a span. That thread only claims a slot in a bounded ring ({@link
 * SpanRing}) and, when a whole batch is waiting, wakes the exporting thread. The SDK's processor
 * builds a method reference for its queue metrics on every span end, which costs 16 bytes until C2
 * compiles the call away; on threads that live for one task (the JDK's {@code HttpClient}
 * completes futures on such threads on 2-core machines) those 16 bytes claim a whole allocation
 * buffer.
 *
 * <p>Behaviour, as the SDK's: a batch is exported when {@code maxExportBatchSize} spans wait or
 * {@code scheduleDelay} has passed since the last export; each export is waited for at most {@code
 * exportTimeout}; when the queue is full a span is dropped and counted, never waited for; {@link
 * #forceFlush} and {@link #shutdown} export everything queued first. The exporting thread is an
 * agent thread, so the exporter's own HTTP calls are never traced.
 */
public final class SpanBatcher implements SpanProcessor {
  private static final AgentLog LOG = AgentLog.get(SpanBatcher.class);

  private final SpanExporter exporter;
  private final SpanRing<ReadableSpan> queue;
  private final int batchSize;
  private final long delayNanos;
  private final long timeoutNanos;
  private final Thread worker;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final ConcurrentLinkedQueue<CompletableResultCode> flushes = new ConcurrentLinkedQueue<>();
  private final CompletableResultCode shutdownResult = new CompletableResultCode();
  private volatile boolean waiting;
  private volatile boolean shutdownRequested;
  private volatile boolean dropLogged;
  private volatile boolean failureLogged;

  public SpanBatcher(
      SpanExporter exporter,
      Duration scheduleDelay,
      int maxQueueSize,
      int maxExportBatchSize,
      Duration exportTimeout) {
    this.exporter = exporter;
    this.queue = new SpanRing<>(maxQueueSize);
    this.batchSize = Math.max(1, Math.min(maxExportBatchSize, maxQueueSize));
    this.delayNanos = Math.max(1, scheduleDelay.toNanos());
    this.timeoutNanos = Math.max(1, exportTimeout.toNanos());
    this.worker = AgentThreads.factory("spans").newThread(this::work);
    worker.start();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    if (shutdownRequested || !queue.offer(span)) {
      dropped.incrementAndGet();
      if (!dropLogged && !shutdownRequested) {
        dropLogged = true;
        LOG.warn(
            "the span queue is full, spans are dropped until the exporter catches up",
            "otel.bsp.max.queue.size", queue.capacity());
      }
      return;
    }
    if (waiting && queue.size() >= batchSize) {
      LockSupport.unpark(worker);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Spans dropped because the queue was full or the batcher shut down. */
  public long droppedSpans() {
    return dropped.get();
  }

  /** Spans handed to the exporter (whether or not it managed to send them). */
  public long exportedSpans() {
    return exported.get();
  }

  @Override
  public CompletableResultCode forceFlush() {
    if (!worker.isAlive()) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = new CompletableResultCode();
    flushes.add(result);
    if (shutdownResult.isDone()) {
      // the worker has exported everything and is leaving (or has left) its last drain of flushes
      result.succeed();
    }
    LockSupport.unpark(worker);
    return result;
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdownRequested = true;
    LockSupport.unpark(worker);
    return shutdownResult;
  }

  private void work() {
    long deadline = System.nanoTime() + delayNanos;
    while (true) {
      try {
        if (shutdownRequested) {
          exportAll();
          finish();
          completeFlushes(); // after finish: a flush added later sees shutdownResult done
          return;
        }
        if (!flushes.isEmpty()) {
          exportAll();
          completeFlushes();
          deadline = System.nanoTime() + delayNanos;
          continue;
        }
        if (queue.size() >= batchSize || System.nanoTime() - deadline >= 0) {
          if (exportBatch() == 0 && queue.size() > 0) {
            // a producer has claimed a slot but not filled it yet
            LockSupport.parkNanos(this, 50_000);
          }
          if (queue.size() < batchSize) {
            deadline = System.nanoTime() + delayNanos;
          }
          continue;
        }
        waiting = true;
        if (queue.size() < batchSize && flushes.isEmpty() && !shutdownRequested) {
          LockSupport.parkNanos(this, deadline - System.nanoTime());
        }
        waiting = false;
        Thread.interrupted(); // an interrupt must not turn the wait into a spin
      } catch (Throwable t) {
        failed(t);
      }
    }
  }

  /** Exports up to one batch; returns how many spans it took. */
  private int exportBatch() {
    List<SpanData> batch = null;
    ReadableSpan span;
    while ((batch == null || batch.size() < batchSize) && (span = queue.poll()) != null) {
      if (batch == null) {
        batch = new ArrayList<>(Math.min(batchSize, queue.size() + 1));
      }
      try {
        batch.add(span.toSpanData());
      } catch (Throwable t) {
        failed(t);
      }
    }
    if (batch == null || batch.isEmpty()) {
      return 0;
    }
    exported.addAndGet(batch.size());
    try {
      CompletableResultCode result = exporter.export(batch);
      result.join(timeoutNanos, TimeUnit.NANOSECONDS);
      if (!result.isSuccess() && !failureLogged) {
        failureLogged = true;
        LOG.warn(
            result.isDone()
                ? "an export failed; its spans are lost"
                : "an export did not finish within otel.bsp.export.timeout; its spans may be lost",
            "exporter", exporter.toString(),
            "spans", batch.size());
      }
    } catch (Throwable t) {
      failed(t);
    }
    return batch.size();
  }

  private void exportAll() {
    int rounds = queue.capacity() / batchSize + 2; // bounded: producers may keep adding
    while (rounds-- > 0 && exportBatch() > 0) {}
  }

  private void completeFlushes() {
    CompletableResultCode flush;
    while ((flush = flushes.poll()) != null) {
      flush.succeed();
    }
  }

  private void finish() {
    try {
      CompletableResultCode result = exporter.shutdown();
      result.join(timeoutNanos, TimeUnit.NANOSECONDS);
      if (result.isSuccess()) {
        shutdownResult.succeed();
      } else {
        shutdownResult.fail();
      }
    } catch (Throwable t) {
      failed(t);
      shutdownResult.fail();
    }
  }

  private void failed(Throwable t) {
    if (!failureLogged || LOG.isDebugEnabled()) {
      failureLogged = true;
      LOG.warn("exporting spans failed", "exporter", exporter.toString(), "error", t.toString());
    }
  }

  @Override
  public String toString() {
    return "SpanBatcher{exporter=" + exporter + ", batch=" + batchSize + ", queue=" + queue.capacity() + "}";
  }
}
