package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An app that ships its own, other versions of the OpenTelemetry API/SDK, Jackson, ByteBuddy and
 * ulid-creator runs with the agent, sees only its own copies, and is traced.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class ConflictingDependenciesTest {

  private final SmokeEnvironment env = SmokeEnvironment.get();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void appWithItsOwnVersionsOfTheAgentsLibrariesLoadsItsOwnCopiesAndIsTraced(JavaHome jdk) {
    String service = "conflicting-deps-" + jdk;
    Path lib = Path.of(System.getProperty("conflicting.deps.dir")).toAbsolutePath().normalize().resolve("lib");

    try (AppProcess app =
        AppProcess.builder(service)
            .javaHome(jdk)
            .agent(SmokeConfig.agentJar())
            .exportingTo(env.receiver(), service)
            .classPath(SmokeConfig.conflictingDepsClassPath())
            .mainClass(SmokeConfig.CONFLICTING_DEPS_MAIN)
            .start()) {
      long since = Spans.now();
      Http.Response response = Http.get(app.url("/api/versions"));

      assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
      Map<String, Object> versions = MiniJson.parseObject(response.body());
      Map<String, Object> expected = map(versions.get("expected"));
      Map<String, Object> libraries = map(versions.get("libraries"));
      assertThat(libraries.keySet()).isEqualTo(expected.keySet());
      for (Map.Entry<String, Object> library : libraries.entrySet()) {
        String name = library.getKey();
        Map<String, Object> loaded = map(library.getValue());
        String location = String.valueOf(loaded.get("location"));
        assertThat(loaded.get("version")).as(name + ": " + loaded).isEqualTo(expected.get(name));
        assertThat(Path.of(java.net.URI.create(location)))
            .as(name + " loaded from the app's own jar: " + loaded)
            .isEqualTo(lib.resolve(name + "-" + expected.get(name) + ".jar"));
        assertThat(loaded.get("classLoader"))
            .as(name + " loaded by the app's class loader: " + loaded)
            .isEqualTo(versions.get("appClassLoader"));
      }
      assertThat(versions.get("greeting")).isEqualTo("hello from a ByteBuddy subclass");
      assertThat(String.valueOf(versions.get("ulid"))).matches(Spans.ULID);

      Spans.awaitServerSpan(env.receiver(), app, service, "/api/versions", since);

      Map<String, Object> again = MiniJson.parseObject(Http.get(app.url("/api/versions")).body());
      assertThat((Double) again.get("appSpansExported"))
          .as("the app's own OpenTelemetry SDK still exports its own spans")
          .isGreaterThanOrEqualTo(1.0);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
