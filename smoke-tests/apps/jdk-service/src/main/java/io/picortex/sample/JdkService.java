package io.picortex.sample;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small service built on the JDK alone (plus H2), used by the smoke tests with and without the
 * agent. Every response body is deterministic, so a run with the agent can be compared byte for
 * byte with a run without it.
 *
 * <p>System properties: {@code port} (0 = ephemeral), {@code downstream} (base URL of the service
 * the routes call; default: this service), {@code https.keystore} + {@code https.keystore.password}
 * (a PKCS12 key store; when given, an HTTPS server with a {@code /api/downstream} route is started
 * on an ephemeral port), {@code https.downstream} (base URL for {@code /api/https}; default: that
 * HTTPS server).
 */
public final class JdkService {

  static final String JDBC_URL =
      "jdbc:h2:mem:greetings;DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=pw-never-exported";
  static final String PRESET_TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String PRESET_REQUEST_ID = "set-by-the-app";
  private static final String CHILD_ENV_SCRIPT =
      "echo \"TRACEPARENT=$TRACEPARENT\"; echo \"PICORTEX_REQUEST_ID=$PICORTEX_REQUEST_ID\";"
          + " echo \"TRACESTATE=$TRACESTATE\"; echo \"BAGGAGE=$BAGGAGE\";"
          + " echo \"PICORTEX_SMOKE_INHERITED=$PICORTEX_SMOKE_INHERITED\"";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpServer server;
  private final HttpsServer httpsServer;
  private final ExecutorService requestThreads;
  private final ExecutorService appPool;
  private final HttpClient client;
  private final String selfBase;
  private final String downstream;
  private final String httpsDownstream;

  private JdkService(int port) throws Exception {
    AtomicInteger threadNumber = new AtomicInteger();
    requestThreads =
        Executors.newCachedThreadPool(
            r -> new Thread(r, "jdk-service-http-" + threadNumber.incrementAndGet()));
    appPool = Executors.newFixedThreadPool(2);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    seedDatabase();

    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    server = HttpServer.create(new InetSocketAddress(loopback, port), 0);
    server.setExecutor(requestThreads);
    selfBase = "http://127.0.0.1:" + server.getAddress().getPort();
    downstream = System.getProperty("downstream", selfBase);

    httpsServer = startHttpsServerIfConfigured(loopback);
    String defaultHttps =
        httpsServer == null ? null : "https://127.0.0.1:" + httpsServer.getAddress().getPort();
    httpsDownstream = System.getProperty("https.downstream", defaultHttps);

    route("/api/hello", this::hello);
    route("/api/downstream", exchange -> respond(exchange, 200, "downstream ok\n"));
    route("/api/headers", this::headers);
    route("/api/echo", this::echo);
    route("/api/child-env", exchange -> childEnv(exchange, false));
    route("/api/child-env-preset", exchange -> childEnv(exchange, true));
    route("/api/async", this::async);
    route("/api/executor", this::executor);
    route("/api/https", this::https);
    route("/api/proxy-headers", this::proxyHeaders);
    route("/api/fail", exchange -> respond(exchange, 500, "failure body\n"));
    route(
        "/api/throw",
        exchange -> {
          throw new RuntimeException("handler failed on purpose");
        });
    route("/api/spawn-java", this::spawnJava);
    route("/api/broken", this::broken);
    server.start();
  }

  public static void main(String[] args) throws Exception {
    JdkService service = new JdkService(Integer.getInteger("port", 0));
    System.out.println("LISTENING " + service.server.getAddress().getPort());
    System.out.flush();
  }

  // ---- routes ----------------------------------------------------------------------------

  private void hello(HttpExchange exchange) throws Exception {
    String viaHttpClient = httpClientGet(downstream + "/api/downstream");
    String viaUrlConnection = urlConnectionGet(downstream + "/api/downstream");
    String greeting;
    long secretCount;
    try (Connection connection = DriverManager.getConnection(JDBC_URL)) {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT text FROM greetings WHERE id = ?")) {
        select.setInt(1, 1);
        try (ResultSet rows = select.executeQuery()) {
          rows.next();
          greeting = rows.getString(1);
        }
      }
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT count(*) FROM greetings WHERE text = 'top-secret-literal'")) {
        rows.next();
        secretCount = rows.getLong(1);
      }
    }
    Process child = new ProcessBuilder("sh", "-c", "exit 0").redirectErrorStream(true).start();
    readAll(child.getInputStream());
    int exitCode = child.waitFor();
    respond(
        exchange,
        200,
        "hello\n"
            + "httpclient: "
            + viaHttpClient
            + "urlconnection: "
            + viaUrlConnection
            + "greeting: "
            + greeting
            + "\nsecret rows: "
            + secretCount
            + "\nchild exit: "
            + exitCode
            + "\n");
  }

  private void headers(HttpExchange exchange) throws IOException {
    Map<String, String> sorted = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> sorted.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
    StringBuilder body = new StringBuilder();
    sorted.forEach((name, value) -> body.append(name).append(": ").append(value).append('\n'));
    respond(exchange, 200, body.toString());
  }

  private void echo(HttpExchange exchange) throws IOException {
    String requestBody = new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8);
    respond(exchange, 200, "echo " + exchange.getRequestMethod() + ": " + requestBody);
  }

  private void childEnv(HttpExchange exchange, boolean preset) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", CHILD_ENV_SCRIPT);
    builder.redirectErrorStream(true);
    if (preset) {
      builder.environment().put("TRACEPARENT", PRESET_TRACEPARENT);
      builder.environment().put("PICORTEX_REQUEST_ID", PRESET_REQUEST_ID);
    }
    Process child = builder.start();
    String output = new String(readAll(child.getInputStream()), StandardCharsets.UTF_8);
    int exitCode = child.waitFor();
    respond(exchange, exitCode == 0 ? 200 : 500, output);
  }

  /** An async call whose callback (run on another thread) makes a second, synchronous call. */
  private void async(HttpExchange exchange) throws Exception {
    HttpRequest request = downstreamRequest(downstream + "/api/downstream");
    CompletableFuture<String> both =
        client
            .sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .thenApply(
                first -> {
                  try {
                    HttpResponse<String> second =
                        client.send(request, HttpResponse.BodyHandlers.ofString());
                    return "async first: " + first.body() + "async second: " + second.body();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                  }
                });
    respond(exchange, 200, both.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }

  /**
   * A downstream call made on another thread: {@code ?kind=pool} (a fixed thread pool), {@code
   * forkjoin} (the common pool) or {@code virtual} (a virtual thread; 501 before JDK 21).
   */
  private void executor(HttpExchange exchange) throws Exception {
    String kind = queryParameter(exchange, "kind", "pool");
    String url = downstream + "/api/downstream";
    String body;
    switch (kind) {
      case "pool":
        body = appPool.submit(() -> urlConnectionGet(url)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        break;
      case "forkjoin":
        body =
            ForkJoinPool.commonPool()
                .submit(() -> urlConnectionGet(url))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        break;
      case "virtual":
        ExecutorService virtual = newVirtualThreadExecutorOrNull();
        if (virtual == null) {
          respond(exchange, 501, "no virtual threads on this JDK\n");
          return;
        }
        try {
          body = virtual.submit(() -> urlConnectionGet(url)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
          virtual.shutdown();
        }
        break;
      default:
        respond(exchange, 400, "unknown kind\n");
        return;
    }
    respond(exchange, 200, kind + ": " + body);
  }

  private void https(HttpExchange exchange) throws Exception {
    if (httpsDownstream == null) {
      respond(exchange, 503, "https downstream not configured\n");
      return;
    }
    HttpsURLConnection connection =
        (HttpsURLConnection) URI.create(httpsDownstream + "/api/downstream").toURL().openConnection();
    // Trust-all is acceptable only because this is a test app talking to its own self-signed server.
    connection.setSSLSocketFactory(trustAllContext().getSocketFactory());
    connection.setHostnameVerifier((host, session) -> true);
    respond(exchange, 200, "https: " + readResponse(connection));
  }

  /**
   * Calls the downstream {@code /api/headers} and returns what it saw: proves the outgoing
   * propagation headers. {@code ?via=httpclient|urlconnection}; {@code &preset=true} makes the app
   * set its own {@code traceparent} and {@code X-Request-ID} on the outgoing request.
   */
  private void proxyHeaders(HttpExchange exchange) throws Exception {
    String via = queryParameter(exchange, "via", "httpclient");
    boolean preset = Boolean.parseBoolean(queryParameter(exchange, "preset", "false"));
    String url = downstream + "/api/headers";
    String body;
    if (via.equals("urlconnection")) {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      if (preset) {
        connection.setRequestProperty("traceparent", PRESET_TRACEPARENT);
        connection.setRequestProperty("X-Request-ID", PRESET_REQUEST_ID);
      }
      body = readResponse(connection);
    } else {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
      if (preset) {
        request.header("traceparent", PRESET_TRACEPARENT).header("X-Request-ID", PRESET_REQUEST_ID);
      }
      body = client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
    respond(exchange, 200, body);
  }

  /** Starts a child JVM (with this JVM's -javaagent and -D options) that calls us back. */
  private void spawnJava(HttpExchange exchange) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-javaagent:") || argument.startsWith("-D")) {
        command.add(argument);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    command.add(selfBase + "/api/downstream");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<byte[]> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return readAll(child.getInputStream());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            appPool);
    if (!child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      child.destroyForcibly();
      respond(exchange, 500, "child JVM did not exit within " + TIMEOUT + "\n");
      return;
    }
    int exitCode = child.exitValue();
    if (exitCode == 0) {
      respond(exchange, 200, "child exit: 0\n");
    } else {
      String text = new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      respond(exchange, 500, "child exit: " + exitCode + "\n" + text);
    }
  }

  /**
   * Feeds the agent's hooks objects that throw from every method: whatever the agent does with
   * them, nothing may reach the app.
   */
  private void broken(HttpExchange exchange) throws IOException {
    List<String> problems = new ArrayList<>();
    AtomicBoolean handlerRan = new AtomicBoolean();
    HttpHandler recording = brokenExchange -> handlerRan.set(true);
    try {
      new Filter.Chain(List.of(), recording).doFilter(new BrokenExchange());
    } catch (Throwable t) {
      problems.add("httpserver: " + t);
    }
    if (!handlerRan.get()) {
      problems.add("httpserver: the handler did not run");
    }
    try (Statement statement = new BrokenStatement()) {
      statement.execute("SELECT 1");
      statement.executeQuery("SELECT 2");
      statement.executeUpdate("UPDATE nothing SET x = 3");
      statement.addBatch("UPDATE nothing SET x = 4");
      statement.executeBatch();
    } catch (Throwable t) {
      problems.add("jdbc: " + t);
    }
    if (problems.isEmpty()) {
      respond(exchange, 200, "broken ok\n");
    } else {
      respond(exchange, 500, "broken: " + String.join("; ", problems) + "\n");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private interface Route {
    void handle(HttpExchange exchange) throws Exception;
  }

  private void route(String path, Route route) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            route.handle(exchange);
          } catch (IOException | RuntimeException e) {
            throw e;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          } catch (Exception e) {
            throw new IOException(e);
          }
        });
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String queryParameter(HttpExchange exchange, String name, String fallback) {
    String query = exchange.getRequestURI().getQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return pair.substring(eq + 1);
        }
      }
    }
    return fallback;
  }

  private HttpRequest downstreamRequest(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
  }

  private String httpClientGet(String url) throws IOException, InterruptedException {
    return client.send(downstreamRequest(url), HttpResponse.BodyHandlers.ofString()).body();
  }

  static String urlConnectionGet(String url) throws IOException {
    return readResponse((HttpURLConnection) URI.create(url).toURL().openConnection());
  }

  static String readResponse(HttpURLConnection connection) throws IOException {
    connection.setConnectTimeout((int) TIMEOUT.toMillis());
    connection.setReadTimeout((int) TIMEOUT.toMillis());
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String body = in == null ? "" : new String(readAll(in), StandardCharsets.UTF_8);
    return status == 200 ? body : "status " + status + ": " + body;
  }

  static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static void seedDatabase() throws SQLException {
    try (Connection connection = DriverManager.getConnection(JDBC_URL);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE greetings (id INT PRIMARY KEY, text VARCHAR(100))");
      statement.execute(
          "INSERT INTO greetings VALUES (1, 'Hello from H2'), (2, 'top-secret-literal')");
    }
  }

  private HttpsServer startHttpsServerIfConfigured(InetAddress loopback) throws Exception {
    String keyStorePath = System.getProperty("https.keystore");
    if (keyStorePath == null) {
      return null;
    }
    char[] password = System.getProperty("https.keystore.password", "changeit").toCharArray();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(keyStorePath))) {
      keyStore.load(in, password);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keyStore, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.setExecutor(requestThreads);
    https.createContext(
        "/api/downstream",
        exchange -> {
          try (exchange) {
            respond(exchange, 200, "secure downstream ok\n");
          }
        });
    https.start();
    return https;
  }

  private static SSLContext trustAllContext() throws Exception {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, null);
    return context;
  }

  /** Executors.newVirtualThreadPerTaskExecutor() on JDK 21+, looked up so this compiles for 17. */
  private static ExecutorService newVirtualThreadExecutorOrNull() {
    try {
      Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) factory.invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
