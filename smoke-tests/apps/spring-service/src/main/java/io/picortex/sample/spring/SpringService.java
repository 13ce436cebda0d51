package io.picortex.sample.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A small Spring Boot service for the smoke tests and benchmarks. Response bodies of
 * {@code /api/hello} and {@code /api/downstream} are deterministic, so a run with the agent can be
 * compared byte for byte with a run without it.
 *
 * <ul>
 *   <li>{@code GET /api/hello}: two SQL queries through {@link JdbcTemplate} (a PreparedStatement
 *       and a plain Statement), then one outbound GET to the downstream URL through {@link
 *       RestClient} on {@code java.net.http.HttpClient}.
 *   <li>{@code GET /api/downstream}: {@code downstream ok}.
 *   <li>{@code GET /api/headers}: the request headers, lower-cased and sorted (propagation tests).
 *   <li>{@code GET /api/mdc}: {@code trace_id}, {@code span_id}, {@code trace_flags}, {@code
 *       request_id} as the app sees them in the SLF4J MDC.
 * </ul>
 *
 * <p>Settings (Spring properties, so {@code -Dname=value}, {@code --name=value} or the environment
 * variable form): {@code server.port} (0 = ephemeral, the default; {@code -Dport} works too),
 * {@code spring-service.downstream-url} (full URL; default {@code downstream} + {@code
 * /api/downstream}, where {@code downstream} defaults to this service's own base URL), {@code
 * spring-service.exercise-and-exit} or the argument {@code --exercise-and-exit} (after start, call
 * {@code /api/hello} {@code spring-service.exercise-requests} times (default 5), then exit 0, or 1
 * if a call failed). Once the server listens, one line {@code LISTENING <port>} goes to stdout.
 */
@SpringBootApplication
@RestController
public class SpringService implements ApplicationListener<WebServerInitializedEvent> {

  static final String EXERCISE_ARG = "--exercise-and-exit";
  static final String DOWNSTREAM_BODY = "downstream ok\n";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final JdbcTemplate jdbc;
  private final RestClient restClient;
  private final String configuredDownstreamUrl;
  private final String downstreamBase;
  private volatile String downstreamUrl;

  public SpringService(
      JdbcTemplate jdbc,
      @Value("${spring-service.downstream-url:}") String configuredDownstreamUrl,
      @Value("${downstream:}") String downstreamBase) {
    this.jdbc = jdbc;
    this.configuredDownstreamUrl = configuredDownstreamUrl;
    this.downstreamBase = downstreamBase;
    HttpClient httpClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
    requestFactory.setReadTimeout(TIMEOUT);
    this.restClient = RestClient.builder().requestFactory(requestFactory).build();
  }

  public static void main(String[] args) {
    boolean exercise = Arrays.asList(args).contains(EXERCISE_ARG);
    String[] springArgs = Arrays.stream(args).filter(a -> !a.equals(EXERCISE_ARG)).toArray(String[]::new);
    ConfigurableApplicationContext context = SpringApplication.run(SpringService.class, springArgs);
    exercise |= context.getEnvironment().getProperty("spring-service.exercise-and-exit", Boolean.class, false);
    if (exercise) {
      int requests = context.getEnvironment().getProperty("spring-service.exercise-requests", Integer.class, 5);
      int port = context.getEnvironment().getProperty("local.server.port", Integer.class, -1);
      int status = exerciseSelf(port, requests);
      int exitCode = SpringApplication.exit(context);
      System.exit(status != 0 ? status : exitCode);
    }
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    int port = event.getWebServer().getPort();
    String self = "http://127.0.0.1:" + port;
    if (!configuredDownstreamUrl.isEmpty()) {
      downstreamUrl = configuredDownstreamUrl;
    } else {
      String base = downstreamBase.isEmpty() ? self : stripTrailingSlash(downstreamBase);
      downstreamUrl = base + "/api/downstream";
    }
    System.out.println("LISTENING " + port);
    System.out.flush();
  }

  // ---- routes ----------------------------------------------------------------------------

  @GetMapping(value = "/api/hello", produces = "text/plain")
  public String hello() {
    String greeting =
        jdbc.queryForObject("SELECT text FROM greetings WHERE id = ?", String.class, 1);
    Long secretRows =
        jdbc.queryForObject(
            "SELECT count(*) FROM greetings WHERE text = 'top-secret-literal'", Long.class);
    String downstream = restClient.get().uri(downstreamUrl).retrieve().body(String.class);
    return "hello\n"
        + "greeting: "
        + greeting
        + "\nsecret rows: "
        + secretRows
        + "\ndownstream: "
        + downstream;
  }

  @GetMapping(value = "/api/downstream", produces = "text/plain")
  public String downstream() {
    return DOWNSTREAM_BODY;
  }

  @GetMapping(value = "/api/headers", produces = "text/plain")
  public String headers(@RequestHeader HttpHeaders headers) {
    Map<String, String> sorted = new TreeMap<>();
    headers.forEach((name, values) -> sorted.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
    StringBuilder body = new StringBuilder();
    sorted.forEach((name, value) -> body.append(name).append(": ").append(value).append('\n'));
    return body.toString();
  }

  @GetMapping(value = "/api/mdc", produces = "text/plain")
  public String mdc() {
    StringBuilder body = new StringBuilder();
    for (String key : new String[] {"trace_id", "span_id", "trace_flags", "request_id"}) {
      body.append(key).append(": ").append(MDC.get(key)).append('\n');
    }
    return body.toString();
  }

  // ---- exercise-and-exit -------------------------------------------------------------------

  /** Calls this service's /api/hello; returns 0 when every call answered 200 with the expected body. */
  static int exerciseSelf(int port, int requests) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/hello");
    try {
      for (int i = 0; i < requests; i++) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().startsWith("hello\n")) {
          System.err.println(
              "exercise: " + uri + " answered " + response.statusCode() + ": " + response.body());
          return 1;
        }
      }
      System.out.println("EXERCISED " + requests);
      System.out.flush();
      return 0;
    } catch (Exception e) {
      System.err.println("exercise: " + uri + " failed: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return 1;
    }
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
