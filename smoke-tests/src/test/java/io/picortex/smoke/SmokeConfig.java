package io.picortex.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the build passes in (see the surefire configuration in smoke-tests/pom.xml). */
final class SmokeConfig {

  static final String JDK_SERVICE_MAIN = "io.picortex.sample.JdkService";
  static final String CONFLICTING_DEPS_MAIN = "io.picortex.sample.conflicting.ConflictingDepsApp";

  private SmokeConfig() {}

  /** The agent jar under test; fails with a hint when it has not been built. */
  static Path agentJar() {
    Path jar = Path.of(required("agent.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "agent jar "
              + jar
              + " does not exist: build it first (mvn -B install -DskipTests at the root)");
    }
    return jar;
  }

  /**
   * Every JDK named in smoke.java.homes (comma separated), duplicates removed. When none is named:
   * the JDK running the tests plus the newest JDK under /usr/lib/jvm, if that one is newer.
   */
  static Stream<JavaHome> javaHomes() {
    Map<Path, JavaHome> homes = new LinkedHashMap<>();
    String configured = System.getProperty("smoke.java.homes", "");
    List<String> entries = new ArrayList<>();
    if (configured.isBlank()) {
      entries.add(System.getProperty("java.home"));
      newestInstalledJdk().ifPresent(p -> entries.add(p.toString()));
    } else {
      entries.addAll(List.of(configured.split(",")));
    }
    for (String entry : entries) {
      if (!entry.isBlank()) {
        Path path = Path.of(entry.trim()).toAbsolutePath().normalize();
        try {
          path = path.toRealPath();
        } catch (IOException e) {
          throw new IllegalArgumentException("smoke.java.homes entry " + entry + " does not exist", e);
        }
        homes.computeIfAbsent(path, JavaHome::of);
      }
    }
    return homes.values().stream();
  }

  /** The newest JDK (by feature version) under /usr/lib/jvm that is newer than this one. */
  static java.util.Optional<Path> newestInstalledJdk() {
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) {
      return java.util.Optional.empty();
    }
    int current = Runtime.version().feature();
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("release"))
              && Files.isExecutable(d.resolve("bin").resolve("java")))
          .map(d -> {
            try {
              return JavaHome.of(d);
            } catch (RuntimeException e) {
              return null;
            }
          })
          .filter(j -> j != null && j.feature() > current)
          .max(java.util.Comparator.comparingInt(JavaHome::feature))
          .map(JavaHome::path);
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  static List<Path> jdkServiceClassPath() {
    return classPath("jdk.service.dir", "smoke-tests/apps/jdk-service");
  }

  static List<Path> conflictingDepsClassPath() {
    return classPath("conflicting.deps.dir", "smoke-tests/apps/conflicting-deps");
  }

  /** target/classes plus every jar in target/lib of an app module. */
  private static List<Path> classPath(String property, String module) {
    Path target = Path.of(required(property)).toAbsolutePath().normalize();
    Path classes = target.resolve("classes");
    Path lib = target.resolve("lib");
    if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          module + " is not built (" + target + " has no classes/ or lib/): mvn -B install -f " + module);
    }
    List<Path> entries = new ArrayList<>();
    entries.add(classes);
    try (Stream<Path> jars = Files.list(lib)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set: run the smoke tests through Maven");
    }
    return value;
  }
}
