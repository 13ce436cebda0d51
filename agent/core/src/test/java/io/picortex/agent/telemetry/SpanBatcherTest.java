package io.picortex.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.ids.UlidIdGenerator;
import io.picortex.agent.trace.LightTracer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent's batch span processor: the SDK's batching behaviour, nothing allocated per span end. */
class SpanBatcherTest {
  private static final Duration NEVER = Duration.ofHours(1);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(30);

  private final List<SpanBatcher> batchers = new ArrayList<>();

  @AfterEach
  void shutDown() {
    batchers.forEach(b -> b.shutdown().join(5, TimeUnit.SECONDS));
  }

  private SpanBatcher batcher(SpanExporter exporter, Duration delay, int queue, int batch) {
    SpanBatcher batcher = new SpanBatcher(exporter, delay, queue, batch, EXPORT_TIMEOUT);
    batchers.add(batcher);
    return batcher;
  }

  private static LightTracer tracer(SpanProcessor processor) {
    return new LightTracer(Resource.getDefault(), "test", UlidIdGenerator.getInstance(),
        Sampler.alwaysOn(), processor);
  }

  private static void endSpans(LightTracer tracer, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder(prefix + i).startSpan().end();
    }
  }

  @Test
  void aFullBatchIsExportedWithoutWaitingForTheScheduleDelay() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 4);
    endSpans(tracer(batcher), "s", 4);

    await(() -> exporter.spans.size() == 4);
    assertThat(exporter.batches).containsExactly(4);
    assertThat(exporter.names()).containsExactly("s0", "s1", "s2", "s3");
  }

  @Test
  void fewerSpansThanABatchAreExportedOnceTheScheduleDelayHasPassed() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, Duration.ofMillis(20), 100, 512);
    endSpans(tracer(batcher), "lonely", 1);

    await(() -> exporter.spans.size() == 1);
    assertThat(exporter.names()).containsExactly("lonely0");
  }

  @Test
  void batchesAreNoLargerThanTheMaximumExportBatchSize() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 3);
    endSpans(tracer(batcher), "s", 10);
    assertThat(batcher.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(exporter.spans).hasSize(10);
    assertThat(exporter.batches).allSatisfy(size -> assertThat(size).isBetween(1, 3));
  }

  @Test
  void forceFlushExportsEverythingQueuedBeforeItCompletes() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 512);
    endSpans(tracer(batcher), "q", 3);

    CompletableResultCode flush = batcher.forceFlush().join(30, TimeUnit.SECONDS);

    assertThat(flush.isSuccess()).isTrue();
    assertThat(exporter.names()).containsExactly("q0", "q1", "q2");
  }

  @Test
  @Timeout(60) // a hang guard, not a measurement: ending spans must never wait for the exporter
  void aFullQueueDropsAndCountsSpansWithoutEverWaitingForTheExporter() throws Exception {
    RecordingExporter exporter = new RecordingExporter();
    exporter.gate = new CountDownLatch(1); // the exporter hangs until released
    SpanBatcher batcher = batcher(exporter, NEVER, 4, 4);
    LightTracer tracer = tracer(batcher);

    endSpans(tracer, "s", 20);

    // at most one batch (4) is inside the hanging export and at most 4 wait in the queue
    assertThat(batcher.droppedSpans()).isGreaterThanOrEqualTo(12);
    exporter.gate.countDown();
    assertThat(batcher.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.spans.size() + batcher.droppedSpans()).isEqualTo(20);
    assertThat(batcher.exportedSpans()).isEqualTo(exporter.spans.size());
  }

  @Test
  void shutdownExportsWhatIsQueuedThenShutsTheExporterDownAndLaterSpansAreDropped() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 512);
    LightTracer tracer = tracer(batcher);
    endSpans(tracer, "before", 2);

    assertThat(batcher.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(exporter.names()).containsExactly("before0", "before1");
    assertThat(exporter.shutDown).isTrue();
    endSpans(tracer, "after", 1);
    assertThat(batcher.droppedSpans()).isEqualTo(1);
    assertThat(batcher.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.names()).doesNotContain("after0");
  }

  @Test
  void anExporterThatThrowsDoesNotStopLaterExports() {
    RecordingExporter exporter = new RecordingExporter();
    exporter.throwOnce.set(true);
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 1);
    LightTracer tracer = tracer(batcher);

    endSpans(tracer, "lost", 1);
    await(() -> !exporter.throwOnce.get());
    endSpans(tracer, "kept", 1);

    await(() -> exporter.spans.size() == 1);
    assertThat(exporter.names()).containsExactly("kept0");
  }

  @Test
  void recordedButUnsampledSpansAreNotExported() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 512);
    LightTracer recordOnly = new LightTracer(Resource.getDefault(), "test",
        UlidIdGenerator.getInstance(), new RecordOnly(), SpanProcessor.composite());
    Span span = recordOnly.spanBuilder("unsampled").startSpan();
    span.end();
    assertThat(span.isRecording()).isFalse();

    batcher.onEnd((ReadableSpan) span);
    endSpans(tracer(batcher), "sampled", 1);
    assertThat(batcher.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(exporter.names()).containsExactly("sampled0");
  }

  @Test
  void theExportingThreadIsAnAgentThreadSoTheExportersOwnCallsAreNotTraced() {
    RecordingExporter exporter = new RecordingExporter();
    SpanBatcher batcher = batcher(exporter, NEVER, 100, 1);
    endSpans(tracer(batcher), "s", 1);

    await(() -> exporter.spans.size() == 1);
    assertThat(exporter.exportedOnAgentThread).isTrue();
  }

  /**
   * The point of this class. Ending spans on a thread that has never done so: nothing is
   * allocated there. The control is the SDK's {@code BatchSpanProcessor} on the same spans, which
   * allocates per call until C2 compiles it (its queue-metrics method reference); if a new SDK
   * stops doing that, the control fails and says this class may no longer be needed.
   */
  @Test
  void endingSpansAllocatesNothingOnTheEndingThreadUnlikeTheSdksBatchProcessor() throws Exception {
    LightTracer untracked = tracer(SpanProcessor.composite());
    List<ReadableSpan> spans = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Span span = untracked.spanBuilder("s" + i).setSpanKind(SpanKind.CLIENT).startSpan();
      span.end();
      spans.add((ReadableSpan) span);
    }
    SpanBatcher batcher = batcher(new RecordingExporter(), NEVER, 10_000, 10_000);
    BatchSpanProcessor sdk =
        BatchSpanProcessor.builder(new RecordingExporter())
            .setScheduleDelay(NEVER)
            .setMaxQueueSize(10_000)
            .setMaxExportBatchSize(10_000)
            .build();
    try {
      // classes loaded and call sites linked, on this thread, before the measured threads start
      batcher.onEnd(spans.get(0));
      sdk.onEnd(spans.get(0));
      long[] ours = new long[1];
      long[] theirs = new long[1];
      // fresh threads, as the JDK's HttpClient uses on 2 cores: the interpreter's view of the calls
      Thread oursThread = new Thread(() -> ours[0] = allocatedBy(() -> {
        for (int i = 0; i < spans.size(); i++) {
          batcher.onEnd(spans.get(i));
        }
      }));
      oursThread.start();
      oursThread.join(TimeUnit.SECONDS.toMillis(60));
      Thread theirsThread = new Thread(() -> theirs[0] = allocatedBy(() -> {
        for (int i = 0; i < spans.size(); i++) {
          sdk.onEnd(spans.get(i));
        }
      }));
      theirsThread.start();
      theirsThread.join(TimeUnit.SECONDS.toMillis(60));

      // less than a byte per call: no object per call (the JIT may allocate a few bytes once on a
      // thread, when it replaces a running loop with compiled code; seen: 0 to 264 B)
      assertThat(ours[0]).as("bytes allocated by 2000 SpanBatcher.onEnd calls").isLessThan(2000);
      assertThat(theirs[0])
          .as("control: bytes allocated by 2000 BatchSpanProcessor.onEnd calls")
          .isGreaterThanOrEqualTo(2000L * 16);
    } finally {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  /** Bytes the current thread allocates while running {@code work}. */
  private static long allocatedBy(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  /** Waits, a bounded time, for what the exporting thread does. */
  private static void await(BooleanSupplier condition) {
    for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(condition.getAsBoolean()).as("reached within 30 s").isTrue();
  }

  private static final class RecordingExporter implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final AtomicBoolean throwOnce = new AtomicBoolean();
    volatile CountDownLatch gate;
    volatile boolean shutDown;
    volatile boolean exportedOnAgentThread;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      if (throwOnce.compareAndSet(true, false)) {
        throw new IllegalStateException("collector exploded");
      }
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exportedOnAgentThread = AgentThreads.isAgentThread();
      batches.add(batch.size());
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    List<String> names() {
      return spans.stream().map(SpanData::getName).toList();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutDown = true;
      return CompletableResultCode.ofSuccess();
    }
  }

  private static final class RecordOnly implements Sampler {
    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name,
        SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
      return SamplingResult.create(SamplingDecision.RECORD_ONLY);
    }

    @Override
    public String getDescription() {
      return "record only";
    }
  }
}
