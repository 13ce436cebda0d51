package io.picortex.sample;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * The README's demo: starts {@link JdkService}, sends it one request (which calls downstream over
 * HTTP twice, runs SQL and starts a child process), prints the response, and exits. Run with the
 * agent and {@code -Dotel.traces.exporter=console} to see the whole trace, one JSON span per line.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    System.setProperty("port", Integer.toString(port));
    JdkService.main(args);
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/api/hello").openConnection();
    connection.setRequestProperty("X-Request-ID", "demo-request-1");
    int status = connection.getResponseCode();
    String body;
    try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    System.out.println("== GET /api/hello -> " + status + ", X-Request-ID: "
        + connection.getHeaderField("X-Request-ID"));
    System.out.println(body);
    System.out.println("== spans of this trace follow (one JSON object per span) ==");
    System.out.flush();
    Thread.sleep(1500); // let the child process exit and the batch processor export
    System.exit(0);
  }
}
