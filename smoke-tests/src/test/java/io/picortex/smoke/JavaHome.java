package io.picortex.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A JDK the smoke tests launch apps on; shown as {@code jdk17}, {@code jdk25} in test names. */
record JavaHome(Path path, int feature) {

  static JavaHome of(Path path) {
    Path release = path.resolve("release");
    Path java = path.resolve("bin").resolve("java");
    if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
      throw new IllegalArgumentException(
          "smoke.java.homes entry " + path + " is not a JDK (needs bin/java and a release file)");
    }
    Properties properties = new Properties();
    try (var in = Files.newInputStream(release)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
    String major = version.split("[.+\\-]")[0];
    return new JavaHome(path, Integer.parseInt(major));
  }

  Path java() {
    return path.resolve("bin").resolve("java");
  }

  @Override
  public String toString() {
    return "jdk" + feature;
  }
}
