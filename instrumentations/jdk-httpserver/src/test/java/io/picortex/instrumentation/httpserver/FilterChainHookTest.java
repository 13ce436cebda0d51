package io.picortex.instrumentation.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the adapter reads from a real {@code com.sun.net.httpserver} exchange. */
class FilterChainHookTest {
  private static final FilterChainHook HOOK = new FilterChainHook(null);
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = (HOOK.serverPort(exchange) + " " + HOOK.serverAddress(exchange) + " "
          + HOOK.protocolVersion(exchange) + " " + HOOK.clientAddress(exchange))
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  /** A raw HTTP/1.x request with exactly this Host line (or none). */
  private static String ask(String protocol, String hostLine) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      socket.setSoTimeout(10_000);
      String request = "GET / " + protocol + "\r\n" + (hostLine == null ? "" : hostLine + "\r\n")
          + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  void thePortIsTheOneTheClientAddressedInTheHostHeader() throws Exception {
    assertThat(ask("HTTP/1.1", "Host: example.com:8443")).isEqualTo("8443 example.com 1.1 127.0.0.1");
    assertThat(ask("HTTP/1.1", "Host: [::1]:9000")).startsWith("9000 [::1] 1.1");
  }

  @Test
  void withoutAPortInTheHostHeaderItIsTheSchemesDefault() throws Exception {
    assertThat(ask("HTTP/1.1", "Host: example.com")).startsWith("80 example.com 1.1");
    assertThat(ask("HTTP/1.1", "Host: [::1]")).startsWith("80 [::1] 1.1");
  }

  @Test
  void aMalformedPortIsNotReportedAndNoHostHeaderMeansTheSocketsPort() throws Exception {
    assertThat(ask("HTTP/1.1", "Host: example.com:99999")).startsWith("-1 example.com");
    assertThat(ask("HTTP/1.1", "Host: example.com:http")).startsWith("-1 example.com");
    assertThat(ask("HTTP/1.0", null))
        .startsWith(server.getAddress().getPort() + " 127.0.0.1 1.0");
  }
}
