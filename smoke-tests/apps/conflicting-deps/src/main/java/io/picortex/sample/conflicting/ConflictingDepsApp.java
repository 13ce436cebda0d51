package io.picortex.sample.conflicting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An app that brings its own (older) versions of the libraries the agent uses internally, and
 * uses each of them at start and on every request. {@code /api/versions} reports where each
 * library's classes came from, so a test can prove the app sees its own copies.
 */
public final class ConflictingDepsApp {

  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d+(?:\\.\\d+)+[^/]*?)\\.jar$");

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final CountingSpanExporter exporter = new CountingSpanExporter();
  private final Tracer tracer;
  private final Class<? extends Greeter> generatedGreeter;
  private final Properties expected = new Properties();
  private final AtomicLong requests = new AtomicLong();
  private final HttpServer server;

  private ConflictingDepsApp(int port) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/expected-versions.properties")) {
      expected.load(in);
    }
    // Registering a global fails if anything else already did in this class loader.
    OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build())
        .buildAndRegisterGlobal();
    tracer = GlobalOpenTelemetry.getTracer("conflicting-deps-app");
    // An explicit class file version: this ByteBuddy predates the newest JDKs we run on.
    generatedGreeter =
        new ByteBuddy(ClassFileVersion.JAVA_V11)
            .subclass(Greeter.class)
            .method(ElementMatchers.named("greet"))
            .intercept(FixedValue.value("hello from a ByteBuddy subclass"))
            .make()
            .load(Greeter.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();

    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/api/versions", exchange -> respond(exchange, this::versions));
    server.createContext("/api/hello", exchange -> respond(exchange, this::hello));
    server.start();
  }

  public static void main(String[] args) throws Exception {
    ConflictingDepsApp app = new ConflictingDepsApp(Integer.getInteger("port", 0));
    for (Map.Entry<String, Object> library : app.libraries().entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> description = (Map<String, Object>) library.getValue();
      System.out.println(
          "LOADED "
              + library.getKey()
              + " "
              + description.get("version")
              + " from "
              + description.get("location"));
    }
    System.out.println("LISTENING " + app.server.getAddress().getPort());
    System.out.flush();
  }

  private Map<String, Object> hello() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", generatedGreeter.getDeclaredConstructor().newInstance().greet());
    body.put("ulid", UlidCreator.getMonotonicUlid().toString());
    return body;
  }

  private Map<String, Object> versions() throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("libraries", libraries());
    body.put("expected", new LinkedHashMap<>(expected));
    body.put("appClassLoader", String.valueOf(ConflictingDepsApp.class.getClassLoader()));
    body.put("greeting", generatedGreeter.getDeclaredConstructor().newInstance().greet());
    Ulid ulid = UlidCreator.getMonotonicUlid();
    body.put("ulid", ulid.toString());
    body.put("requests", requests.get());
    body.put("appSpansExported", exporter.exported());
    return body;
  }

  private Map<String, Object> libraries() {
    Map<String, Object> libraries = new LinkedHashMap<>();
    libraries.put("opentelemetry-api", describe(GlobalOpenTelemetry.class, null));
    libraries.put("opentelemetry-sdk", describe(OpenTelemetrySdk.class, null));
    libraries.put(
        "jackson-databind",
        describe(
            ObjectMapper.class, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()));
    libraries.put("byte-buddy", describe(ByteBuddy.class, null));
    libraries.put("ulid-creator", describe(UlidCreator.class, null));
    return libraries;
  }

  private static Map<String, Object> describe(Class<?> type, String declaredVersion) {
    Map<String, Object> description = new LinkedHashMap<>();
    Package pkg = type.getPackage();
    String implementationVersion = pkg == null ? null : pkg.getImplementationVersion();
    CodeSource source = type.getProtectionDomain().getCodeSource();
    String location =
        source == null || source.getLocation() == null ? null : source.getLocation().toString();
    String version = declaredVersion;
    if (version == null) {
      version = implementationVersion;
    }
    if (version == null && location != null) {
      Matcher matcher = JAR_VERSION.matcher(location);
      version = matcher.find() ? matcher.group(1) : null;
    }
    description.put("class", type.getName());
    description.put("version", version);
    description.put("implementationVersion", implementationVersion);
    description.put("location", location);
    description.put("classLoader", String.valueOf(type.getClassLoader()));
    return description;
  }

  /** Every request: a span from the app's own SDK, a ULID, a ByteBuddy class and Jackson. */
  private void respond(HttpExchange exchange, ContentSupplier content) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      Span span = tracer.spanBuilder("app-own-span " + exchange.getRequestURI().getPath()).startSpan();
      byte[] bytes;
      int status = 200;
      try (Scope ignored = span.makeCurrent()) {
        bytes = json.writeValueAsBytes(content.get());
      } catch (Exception e) {
        status = 500;
        bytes = ("failed: " + e).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } finally {
        span.end();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private interface ContentSupplier {
    Object get() throws Exception;
  }
}
