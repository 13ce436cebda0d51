package io.picortex.overhead;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Gets the OpenTelemetry Java agent at run time, never from the repository: from the cache
 * directory under target/ if it is there, else from the local Maven repository, else downloaded
 * from Maven Central. Every copy is checked against the SHA-1 that Maven Central publishes (pinned
 * here for the default version).
 */
final class OtelAgentFetcher {

  static final String DEFAULT_VERSION = "2.33.1";
  static final String DEFAULT_REPOSITORY = "https://repo.maven.apache.org/maven2";
  private static final String PATH =
      "io/opentelemetry/javaagent/opentelemetry-javaagent/%1$s/opentelemetry-javaagent-%1$s.jar";
  /** SHA-1 of the jar as published on Maven Central (its .sha1 file). */
  private static final Map<String, String> PINNED_SHA1 =
      Map.of("2.33.1", "2717a555a8005894654448407fc0469052dd57b1");

  private OtelAgentFetcher() {}

  static Path fetch(String version, Path cacheDirectory, String repository) throws IOException {
    String relative = String.format(PATH, version);
    Path cached = cacheDirectory.resolve("opentelemetry-javaagent-" + version + ".jar");
    String expected = PINNED_SHA1.get(version);
    if (Files.isRegularFile(cached) && (expected == null || expected.equals(sha1(cached)))) {
      return cached;
    }
    Files.createDirectories(cacheDirectory);
    Path partial = cacheDirectory.resolve(cached.getFileName() + ".part");
    Path local = Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(relative);
    if (Files.isRegularFile(local)) {
      Files.copy(local, partial, StandardCopyOption.REPLACE_EXISTING);
    } else {
      download(URI.create(repository + "/" + relative), partial);
    }
    if (expected == null) {
      expected = downloadText(URI.create(repository + "/" + relative + ".sha1")).trim().split("\\s+")[0];
    }
    String actual = sha1(partial);
    if (!actual.equalsIgnoreCase(expected)) {
      Files.deleteIfExists(partial);
      throw new IOException(
          "opentelemetry-javaagent " + version + ": SHA-1 " + actual + ", expected " + expected);
    }
    Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return cached;
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  private static void download(URI uri, Path target) throws IOException {
    try {
      HttpResponse<InputStream> response =
          client().send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException(uri + " answered " + response.statusCode());
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    }
  }

  private static String downloadText(URI uri) throws IOException {
    try {
      HttpResponse<String> response =
          client().send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
      if (response.statusCode() != 200) {
        throw new IOException(uri + " answered " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    }
  }

  static String sha1(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
