package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one file users download: its layout, its size budget and its command line. */
class AgentJarTest {
  private static final long MAX_BYTES = 8L * 1024 * 1024;

  @Test
  void onlyTheLauncherIsLoadableByTheApplicationEverythingElseIsHiddenUnderInst() throws IOException {
    try (JarFile jar = new JarFile(SmokeConfig.agentJar().toFile())) {
      List<String> visibleClasses =
          Collections.list(jar.entries()).stream()
              .map(e -> e.getName())
              .filter(n -> n.endsWith(".class"))
              .collect(Collectors.toList());
      assertThat(visibleClasses).isNotEmpty().allMatch(n -> n.startsWith("io/picortex/launcher/"));
      assertThat(jar.getJarEntry("inst/java/lang/PicortexBridge.classdata")).isNotNull();
      assertThat(jar.getJarEntry("inst/io/picortex/shaded/bytebuddy/jar/asm/ClassReader.classdata"))
          .as("dependencies are relocated as well as hidden").isNotNull();
      assertThat(jar.getJarEntry("inst/io/picortex/shaded/bytebuddy/ByteBuddy.classdata"))
          .as("only ByteBuddy's ASM is shipped: the weaver uses nothing else").isNull();
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("io.picortex.launcher.AgentLauncher");
      assertThat(main.getValue("Main-Class")).isEqualTo("io.picortex.launcher.AgentLauncher");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
  }

  @Test
  void jarStaysWithinTheEightMegabyteBudget() throws IOException {
    assertThat(Files.size(SmokeConfig.agentJar())).isLessThanOrEqualTo(MAX_BYTES);
  }

  @Test
  void versionCommandPrintsTheVersion(@TempDir Path dir) throws Exception {
    Result r = run(dir, List.of("-jar", SmokeConfig.agentJar().toString(), "version"));
    assertThat(r.exitCode).as(r.output).isZero();
    assertThat(r.output).startsWith("picortex-agent ");
  }

  @Test
  void doctorFailsNamingTheBadKey(@TempDir Path dir) throws Exception {
    Result r = run(dir, List.of("-Dotel.traces.sampler=sometimes", "-Dotel.traces.exporter=none",
        "-jar", SmokeConfig.agentJar().toString(), "doctor"));
    assertThat(r.exitCode).as(r.output).isEqualTo(1);
    assertThat(r.output).contains("FAIL").contains("otel.traces.sampler").contains("sometimes");
  }

  @Test
  void doctorPassesAGoodConfiguration(@TempDir Path dir) throws Exception {
    Result r = run(dir, List.of("-Dotel.traces.exporter=console",
        "-jar", SmokeConfig.agentJar().toString(), "doctor"));
    assertThat(r.exitCode).as(r.output).isZero();
    assertThat(r.output).contains("all checks passed");
  }

  @Test
  void startingTheAgentDoesNotInitialiseJavaUtilLogging(@TempDir Path dir) throws Exception {
    Path classLog = dir.resolve("classes.txt");
    // the application here is the agent's own "version" command, which never logs
    Result r = run(dir, List.of("-Xlog:class+load:file=" + classLog,
        "-javaagent:" + SmokeConfig.agentJar(), "-Dpicortex.log.level=info",
        "-Dotel.traces.exporter=console",
        "-jar", SmokeConfig.agentJar().toString(), "version"));
    assertThat(r.exitCode).as(r.output).isZero();
    assertThat(r.output).as("the agent did start").contains("agent started");
    String loaded = Files.readString(classLog, StandardCharsets.UTF_8);
    assertThat(loaded).contains("io.picortex.agent.Agent ");
    assertThat(loaded).doesNotContain("java.util.logging.LogManager ");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path dir, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("PICORTEX_"));
    Process p = builder.start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
