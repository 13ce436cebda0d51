package io.picortex.agent.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** {@code otel.traces.exporter=console}: one JSON object per finished span on stdout. */
public final class ConsoleSpanExporter implements SpanExporter {
  private static final JsonFactory JSON = new JsonFactory();
  private final PrintStream out;

  public ConsoleSpanExporter(PrintStream out) {
    this.out = out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      try {
        out.println(toJson(span));
      } catch (IOException e) {
        return CompletableResultCode.ofFailure();
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  static String toJson(SpanData span) throws IOException {
    StringWriter w = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("name", span.getName());
      g.writeStringField("kind", span.getKind().name());
      g.writeStringField("trace_id", span.getTraceId());
      g.writeStringField("span_id", span.getSpanId());
      if (span.getParentSpanContext().isValid()) {
        g.writeStringField("parent_span_id", span.getParentSpanId());
      }
      g.writeStringField("service", String.valueOf(
          span.getResource().getAttribute(AttributeKey.stringKey("service.name"))));
      g.writeNumberField("start_epoch_nanos", span.getStartEpochNanos());
      g.writeNumberField(
          "duration_ms", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000_000.0);
      g.writeStringField("status", span.getStatus().getStatusCode().name());
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
        writeValue(g, e.getKey().getKey(), e.getValue());
      }
      g.writeEndObject();
      List<EventData> events = span.getEvents();
      if (!events.isEmpty()) {
        g.writeArrayFieldStart("events");
        for (EventData event : events) {
          g.writeStartObject();
          g.writeStringField("name", event.getName());
          for (Map.Entry<AttributeKey<?>, Object> e : event.getAttributes().asMap().entrySet()) {
            if (!e.getKey().getKey().equals("exception.stacktrace")) {
              writeValue(g, e.getKey().getKey(), e.getValue());
            }
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    return w.toString();
  }

  private static void writeValue(JsonGenerator g, String name, Object value) throws IOException {
    if (value instanceof Long l) {
      g.writeNumberField(name, l);
    } else if (value instanceof Double d) {
      g.writeNumberField(name, d);
    } else if (value instanceof Boolean b) {
      g.writeBooleanField(name, b);
    } else {
      g.writeStringField(name, String.valueOf(value));
    }
  }

  @Override
  public CompletableResultCode flush() {
    out.flush();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return flush();
  }
}
