package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An agent that cannot start (here: a jar with its main class removed) must leave the app alone:
 * the app starts and serves as without the agent, and stderr gets exactly one line about it, a
 * JSON object with level ERROR.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class AgentStartupFailureTest {

  static final String REMOVED_ENTRY = "inst/io/picortex/agent/Agent.classdata";

  private final SmokeEnvironment env = SmokeEnvironment.get();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void appStartsAndServesWhenTheAgentCannotStartAndStderrGetsOneJsonErrorLine(JavaHome jdk) {
    Path brokenAgent = agentWithout(REMOVED_ENTRY);
    String expectedBody = Http.get(env.jdkServiceWithoutAgent(jdk).url("/api/hello")).body();

    try (AppProcess app =
        env.jdkService(jdk, "jdk-service-broken-agent-" + jdk)
            .agent(brokenAgent)
            .exportingTo(env.receiver(), "broken-agent-" + jdk)
            .start()) {
      Http.Response response = Http.get(app.url("/api/hello"));

      assertThat(response.status()).as(app.describe()).isEqualTo(200);
      assertThat(response.body()).as(app.describe()).isEqualTo(expectedBody);
      app.awaitStderrLine(AgentStartupFailureTest::mentionsPicortex, Duration.ofSeconds(10));
      List<String> agentLines =
          app.stderrLines().stream()
              .filter(AgentStartupFailureTest::mentionsPicortex)
              .collect(Collectors.toList());
      assertThat(agentLines).as("stderr lines mentioning picortex" + app.describe()).hasSize(1);
      Map<String, Object> json = MiniJson.parseObject(agentLines.get(0).trim());
      assertThat(json).as(agentLines.get(0)).containsEntry("level", "ERROR");
    }
  }

  private static boolean mentionsPicortex(String line) {
    return line.toLowerCase(Locale.ROOT).contains("picortex");
  }

  /** A copy of the agent jar without one entry (made once per run). */
  private synchronized Path agentWithout(String entryName) {
    Path copy = env.workDirectory().resolve("picortex-agent-without-main.jar");
    if (Files.exists(copy)) {
      return copy;
    }
    Path original = SmokeConfig.agentJar();
    List<String> names = new ArrayList<>();
    boolean removed = false;
    try (ZipFile zip = new ZipFile(original.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        names.add(entry.getName());
        if (entry.getName().equals(entryName)) {
          removed = true;
          continue;
        }
        ZipEntry copied = new ZipEntry(entry.getName());
        copied.setTime(entry.getTime());
        out.putNextEntry(copied);
        try (InputStream in = zip.getInputStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!removed) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new IllegalStateException(
          original
              + " has no entry "
              + entryName
              + "; its inst/ entries: "
              + names.stream().filter(n -> n.startsWith("inst/io/picortex/")).limit(40).collect(Collectors.toList()));
    }
    return copy;
  }
}
