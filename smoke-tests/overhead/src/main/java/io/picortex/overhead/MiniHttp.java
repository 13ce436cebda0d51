package io.picortex.overhead;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over one keep-alive socket: GET only, reads Content-Length and chunked
 * bodies. Just enough for the start-up probe and the Java load generator, with no JDK HTTP client
 * start-up cost or allocation in the way.
 */
final class MiniHttp implements AutoCloseable {

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] line = new byte[8192];
  private final byte[] skip = new byte[16384];

  MiniHttp(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  static byte[] request(String host, int port, String path, boolean keepAlive) {
    return ("GET " + path + " HTTP/1.1\r\n"
            + "Host: " + host + ":" + port + "\r\n"
            + "User-Agent: picortex-overhead\r\n"
            + "Accept: */*\r\n"
            + (keepAlive ? "" : "Connection: close\r\n")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** One GET on a fresh connection: the status code. */
  static int get(String host, int port, String path, int timeoutMillis) throws IOException {
    try (MiniHttp http = new MiniHttp(host, port, timeoutMillis)) {
      return http.send(request(host, port, path, false));
    }
  }

  /** Sends a prepared request, reads the whole response; returns the status code. */
  int send(byte[] request) throws IOException {
    if (socket == null) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 16384);
      out = s.getOutputStream();
    }
    out.write(request);
    out.flush();
    String statusLine = readLine();
    if (!statusLine.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = statusLine.startsWith("HTTP/1.0");
    for (String header; !(header = readLine()).isEmpty(); ) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" ->
            close = value.contains("close")
                || (statusLine.startsWith("HTTP/1.0") && !value.contains("keep-alive"));
        default -> {}
      }
    }
    if (chunked) {
      for (long size; (size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0; ) {
        skip(size);
        readLine();
      }
      while (!readLine().isEmpty()) {
        // trailers
      }
    } else if (contentLength >= 0) {
      skip(contentLength);
    } else {
      while (in.read(skip) >= 0) {
        // body until close
      }
      close = true;
    }
    if (close) {
      close();
    }
    return status;
  }

  private void skip(long count) throws IOException {
    long left = count;
    while (left > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (n < 0) {
        throw new EOFException("body ended " + left + " bytes early");
      }
      left -= n;
    }
  }

  private String readLine() throws IOException {
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      if (b == '\n') {
        break;
      }
      if (b != '\r' && length < line.length) {
        line[length++] = (byte) b;
      }
    }
    return new String(line, 0, length, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to do
      }
      socket = null;
    }
  }
}
