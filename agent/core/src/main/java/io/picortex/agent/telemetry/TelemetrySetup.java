package io.picortex.agent.telemetry;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import io.opentelemetry.extension.trace.propagation.OtTracePropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.handler.RequestIds;
import io.picortex.agent.handler.Tracing;
import io.picortex.agent.ids.RequestIdPolicy;
import io.picortex.agent.ids.UlidIdGenerator;
import io.picortex.agent.log.AgentLog;
import io.picortex.agent.propagation.W3CTraceContextPropagator;
import io.picortex.agent.trace.LightTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds the OpenTelemetry SDK pipeline from the standard {@code otel.*} settings: resource,
 * sampler, propagators, a bounded batch processor and the exporters. Nothing leaves the process
 * unless an exporter is configured: with no {@code otel.traces.exporter} and no OTLP endpoint, spans
 * are created (for propagation) but not exported.
 */
public final class TelemetrySetup {
  private static final AgentLog LOG = AgentLog.get(TelemetrySetup.class);

  public static final String DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";
  public static final String DEFAULT_REQUEST_ID_HEADER = "X-Request-ID";
  public static final String DEFAULT_REQUEST_ID_ENV = "PICORTEX_REQUEST_ID";

  /** The pipeline and what handlers need from it. */
  public record Telemetry(
      Tracing tracing,
      List<String> exporters,
      List<DeferredSpanExporter> deferred,
      Supplier<CompletableResultCode> shutdownAction) {

    /** Starts building the exporters that are built off the main thread (see Agent). */
    public void startExporters() {
      deferred.forEach(DeferredSpanExporter::start);
    }

    public void shutdown(Duration timeout) {
      shutdownAction.get().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The instrumentation scope of every span the agent makes. */
  static final String SCOPE_NAME = "io.picortex.agent";

  private TelemetrySetup() {}

  /**
   * {@code picortex.tracer}: {@code light} (default), the agent's own recording spans and batch
   * processor ({@link SpanBatcher}) in front of the SDK's exporters, or {@code sdk}, the
   * OpenTelemetry SDK's tracer and {@code BatchSpanProcessor} (kept to compare the two and as a
   * fallback).
   */
  static boolean useSdkTracer(AgentConfig config) {
    String value = config.getString("picortex.tracer", "light");
    switch (value.toLowerCase(Locale.ROOT)) {
      case "sdk":
        return true;
      case "light":
        return false;
      default:
        config.report("picortex.tracer", value, "light or sdk", "using light");
        return false;
    }
  }

  public static Telemetry create(AgentConfig config, Map<String, String> environment) {
    Resource resource = resource(config);
    Sampler sampler = sampler(config);
    List<String> exporters = new ArrayList<>();
    List<SpanExporter> built = exporters(config, exporters);
    List<DeferredSpanExporter> deferred = new ArrayList<>();
    List<SpanProcessor> processors = new ArrayList<>();
    boolean sdkTracer = useSdkTracer(config);
    BatchSettings batching = batchSettings(config);
    for (SpanExporter exporter : built) {
      if (exporter instanceof DeferredSpanExporter d) {
        deferred.add(d);
      }
      processors.add(sdkTracer ? batch(batching, exporter) : batcher(batching, exporter));
    }
    Tracer tracer;
    Supplier<CompletableResultCode> shutdown;
    if (sdkTracer) {
      SdkTracerProviderBuilder provider =
          SdkTracerProvider.builder()
              .setResource(resource)
              .setIdGenerator(UlidIdGenerator.getInstance())
              .setSampler(sampler);
      processors.forEach(provider::addSpanProcessor);
      SdkTracerProvider tracerProvider = provider.build();
      tracer = tracerProvider.get(SCOPE_NAME);
      shutdown = tracerProvider::shutdown;
    } else {
      SpanProcessor processor = SpanProcessor.composite(processors);
      tracer = new LightTracer(resource, SCOPE_NAME, UlidIdGenerator.getInstance(), sampler, processor);
      shutdown = processor::shutdown;
    }
    TextMapPropagator propagator = propagator(config);
    String header =
        config.getString("picortex.request-id.header", DEFAULT_REQUEST_ID_HEADER);
    if (!RequestIdPolicy.isValid(header)) {
      config.report("picortex.request-id.header", header, "an HTTP header name",
          "using " + DEFAULT_REQUEST_ID_HEADER);
      header = DEFAULT_REQUEST_ID_HEADER;
    }
    String env = config.getString("picortex.request-id.env", DEFAULT_REQUEST_ID_ENV);
    if (!env.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
      config.report("picortex.request-id.env", env,
          "an environment variable name of letters, digits and _", "using " + DEFAULT_REQUEST_ID_ENV);
      env = DEFAULT_REQUEST_ID_ENV;
    }
    Context processContext = processContext(propagator, environment, env);
    Tracing tracing = new Tracing(tracer, propagator, header, env, processContext);
    return new Telemetry(tracing, exporters, deferred, shutdown);
  }

  /**
   * The context a parent process handed down in {@code TRACEPARENT}/{@code TRACESTATE}/{@code
   * BAGGAGE} and {@code PICORTEX_REQUEST_ID}, or null.
   */
  static Context processContext(
      TextMapPropagator propagator, Map<String, String> environment, String requestIdVariable) {
    TextMapGetter<Map<String, String>> getter =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key.toUpperCase(Locale.ROOT).replace('-', '_'));
          }
        };
    Context context = propagator.extract(Context.root(), environment, getter);
    String requestId = environment.get(requestIdVariable);
    if (requestId != null && RequestIdPolicy.isValid(requestId)) {
      context = RequestIds.with(context, requestId);
    }
    return context == Context.root() ? null : context;
  }

  static Resource resource(AgentConfig config) {
    AttributesBuilder attributes = Attributes.builder();
    config.getMap("otel.resource.attributes").forEach(attributes::put);
    String serviceName = config.get("otel.service.name");
    if (serviceName == null) {
      serviceName = config.getMap("otel.resource.attributes").get("service.name");
    }
    if (serviceName == null) {
      serviceName = ServiceName.derive(System.getProperty("sun.java.command"));
    }
    attributes.put("service.name", serviceName);
    attributes.put("process.pid", io.picortex.agent.util.ThisProcess.pid());
    attributes.put("process.runtime.name", System.getProperty("java.runtime.name", "java"));
    attributes.put("process.runtime.version", System.getProperty("java.runtime.version", ""));
    attributes.put("telemetry.distro.name", "picortex");
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  static Sampler sampler(AgentConfig config) {
    String name = config.getString("otel.traces.sampler", "parentbased_always_on");
    double ratio = 1.0;
    if (name.endsWith("traceidratio")) {
      ratio = config.getDouble("otel.traces.sampler.arg", 1.0, 0.0, 1.0);
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "always_on" -> Sampler.alwaysOn();
      case "always_off" -> Sampler.alwaysOff();
      case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
      case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
      case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
      default -> {
        config.report("otel.traces.sampler", name,
            "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off,"
                + " parentbased_traceidratio",
            "using parentbased_always_on");
        yield Sampler.parentBased(Sampler.alwaysOn());
      }
    };
  }

  static TextMapPropagator propagator(AgentConfig config) {
    List<TextMapPropagator> list = new ArrayList<>();
    for (String name : config.getList("otel.propagators", List.of("tracecontext", "baggage"))) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "tracecontext" -> list.add(W3CTraceContextPropagator.getInstance());
        case "baggage" -> list.add(W3CBaggagePropagator.getInstance());
        case "b3" -> list.add(B3Propagator.injectingSingleHeader());
        case "b3multi" -> list.add(B3Propagator.injectingMultiHeaders());
        case "jaeger" -> list.add(JaegerPropagator.getInstance());
        case "ottrace" -> list.add(OtTracePropagator.getInstance());
        case "none" -> {}
        default -> config.report("otel.propagators", name,
            "tracecontext, baggage, b3, b3multi, jaeger, ottrace or none", "it is ignored");
      }
    }
    return TextMapPropagator.composite(list);
  }

  static List<SpanExporter> exporters(AgentConfig config, List<String> names) {
    String endpoint = config.first("otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.endpoint");
    List<String> requested =
        config.getList("otel.traces.exporter", endpoint != null ? List.of("otlp") : List.of("none"));
    List<SpanExporter> exporters = new ArrayList<>();
    for (String name : requested) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "otlp" -> {
          OtlpSettings settings = otlpSettings(config);
          if (settings != null) {
            exporters.add(new DeferredSpanExporter("otlp", () -> settings.build()));
            names.add("otlp");
          }
        }
        case "console", "logging" -> {
          exporters.add(new ConsoleSpanExporter(System.out));
          names.add("console");
        }
        case "none" -> {}
        default -> config.report("otel.traces.exporter", name, "otlp, console or none",
            "it is ignored");
      }
    }
    return exporters;
  }

  /** Everything the OTLP exporter needs, validated in premain so problems are reported there. */
  record OtlpSettings(String url, Duration timeout, Map<String, String> headers, String compression) {
    SpanExporter build() {
      OtlpHttpSpanExporterBuilder b =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(url)
              .setExecutorService(
                  Executors.newFixedThreadPool(1, AgentThreads.factory("otlp-traces")))
              .setTimeout(timeout);
      headers.forEach(b::addHeader);
      if (compression != null) {
        b.setCompression(compression);
      }
      return b.build();
    }
  }

  static OtlpSettings otlpSettings(AgentConfig config) {
    String protocol =
        config.first("otel.exporter.otlp.traces.protocol", "otel.exporter.otlp.protocol");
    if (protocol != null && !protocol.equals("http/protobuf")) {
      String key = config.get("otel.exporter.otlp.traces.protocol") != null
          ? "otel.exporter.otlp.traces.protocol" : "otel.exporter.otlp.protocol";
      config.report(key, protocol,
          "http/protobuf (grpc is not in this build: it would need a gRPC stack in the jar)",
          "OTLP trace export is disabled");
      return null;
    }
    String url = config.get("otel.exporter.otlp.traces.endpoint");
    if (url == null) {
      String base = config.getString("otel.exporter.otlp.endpoint", DEFAULT_OTLP_ENDPOINT);
      url = base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces";
    }
    try {
      java.net.URI uri = java.net.URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL with a host");
      }
    } catch (IllegalArgumentException e) {
      config.report("otel.exporter.otlp.endpoint", url, "an http:// or https:// URL",
          "OTLP trace export is disabled");
      return null;
    }
    Duration timeout =
        config.getDuration(
            config.get("otel.exporter.otlp.traces.timeout") != null
                ? "otel.exporter.otlp.traces.timeout"
                : "otel.exporter.otlp.timeout",
            Duration.ofSeconds(10));
    Map<String, String> headers = config.getMap("otel.exporter.otlp.headers");
    headers.putAll(config.getMap("otel.exporter.otlp.traces.headers"));
    String compression =
        config.first("otel.exporter.otlp.traces.compression", "otel.exporter.otlp.compression");
    if (compression != null && !compression.equals("gzip") && !compression.equals("none")) {
      config.report("otel.exporter.otlp.compression", compression, "gzip or none",
          "no compression");
      compression = null;
    }
    return new OtlpSettings(url, timeout, headers, compression);
  }

  /** Our batch processor (allocation-free span end) with the SDK's {@code otel.bsp.*} settings. */
  static SpanBatcher batcher(BatchSettings settings, SpanExporter exporter) {
    return new SpanBatcher(exporter, settings.delay(), settings.queue(), settings.batch(),
        settings.timeout());
  }

  record BatchSettings(Duration delay, int queue, int batch, Duration timeout) {}

  /**
   * The {@code otel.bsp.*} settings. A batch larger than the queue could never fill: reported
   * with both values and cut to the queue size (the SDK cuts it too).
   */
  static BatchSettings batchSettings(AgentConfig config) {
    int queue = config.getInt("otel.bsp.max.queue.size", 2048, 1, 1_000_000);
    int batch = config.getInt("otel.bsp.max.export.batch.size", 512, 1, 100_000);
    if (batch > queue) {
      config.report("otel.bsp.max.export.batch.size", Integer.toString(batch),
          "at most otel.bsp.max.queue.size (" + queue + ")", "using " + queue);
      batch = queue;
    }
    return new BatchSettings(
        config.getDuration("otel.bsp.schedule.delay", Duration.ofSeconds(5)),
        queue,
        batch,
        config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)));
  }

  /** The SDK's batch processor, for the SDK's tracer ({@code picortex.tracer=sdk}). */
  static BatchSpanProcessor batch(BatchSettings settings, SpanExporter exporter) {
    return BatchSpanProcessor.builder(exporter)
        .setScheduleDelay(settings.delay())
        .setMaxQueueSize(settings.queue())
        .setMaxExportBatchSize(settings.batch())
        .setExporterTimeout(settings.timeout())
        .build();
  }
}
