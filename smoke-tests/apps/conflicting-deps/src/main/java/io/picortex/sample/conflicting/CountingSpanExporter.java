package io.picortex.sample.conflicting;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/** The app's own exporter for its own OpenTelemetry SDK: it only counts. */
final class CountingSpanExporter implements SpanExporter {

  private final AtomicLong exported = new AtomicLong();

  long exported() {
    return exported.get();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    exported.addAndGet(spans.size());
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
