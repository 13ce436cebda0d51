package io.picortex.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the smoke test classes share for the whole run: one OTLP receiver and one jdk-service JVM
 * per JDK with the agent (and one without), started on first use and ended with the run.
 * Test classes opt in with {@code @ExtendWith(SmokeEnvironment.Lifecycle.class)}.
 */
final class SmokeEnvironment implements ExtensionContext.Store.CloseableResource {

  static final String KEY_STORE_PASSWORD = "smoke-only";

  private static SmokeEnvironment instance;

  private final OtlpReceiver receiver;
  private final Path workDirectory;
  private final Map<String, AppProcess> apps = new ConcurrentHashMap<>();
  private Path keyStore;

  private SmokeEnvironment() throws IOException {
    receiver = OtlpReceiver.start();
    workDirectory = Files.createTempDirectory("picortex-smoke");
  }

  static synchronized SmokeEnvironment get() {
    if (instance == null) {
      try {
        instance = new SmokeEnvironment();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  OtlpReceiver receiver() {
    return receiver;
  }

  Path workDirectory() {
    return workDirectory;
  }

  /** In jdk-service's own environment: its children must see it, with the agent or without. */
  static final String INHERITED_VARIABLE = "PICORTEX_SMOKE_INHERITED";

  static final String INHERITED_VALUE = "from-the-service-environment";

  static String jdkServiceName(JavaHome jdk) {
    return "jdk-service-" + jdk;
  }

  /** The shared jdk-service with the agent on this JDK, exporting to {@link #receiver()}. */
  AppProcess jdkServiceWithAgent(JavaHome jdk) {
    return shared(
        "jdk-service-agent-" + jdk,
        () ->
            jdkService(jdk, "jdk-service-agent-" + jdk)
                .agent(SmokeConfig.agentJar())
                .exportingTo(receiver, jdkServiceName(jdk))
                .start());
  }

  /** The same service on the same JDK without any agent. */
  AppProcess jdkServiceWithoutAgent(JavaHome jdk) {
    return shared(
        "jdk-service-plain-" + jdk, () -> jdkService(jdk, "jdk-service-plain-" + jdk).start());
  }

  /**
   * A jdk-service command line with its HTTPS key store, without agent settings. The JVM verifies
   * JDK classes too (it normally trusts them): the classes the agent weaves are mostly the JDK's,
   * and a frame the weaver got wrong must fail here as a VerifyError, not pass unnoticed.
   */
  AppProcess.Builder jdkService(JavaHome jdk, String name) {
    return AppProcess.builder(name)
        .javaHome(jdk)
        .jvmArgument("-XX:+UnlockDiagnosticVMOptions")
        .jvmArgument("-XX:+BytecodeVerificationLocal")
        .classPath(SmokeConfig.jdkServiceClassPath())
        .mainClass(SmokeConfig.JDK_SERVICE_MAIN)
        .systemProperty("https.keystore", keyStore().toString())
        .systemProperty("https.keystore.password", KEY_STORE_PASSWORD)
        .environment(INHERITED_VARIABLE, INHERITED_VALUE);
  }

  private AppProcess shared(String key, java.util.function.Supplier<AppProcess> start) {
    AppProcess app = apps.computeIfAbsent(key, k -> start.get());
    if (!app.isAlive()) {
      throw new IllegalStateException("the shared app " + key + " has died" + app.describe());
    }
    return app;
  }

  /** A self-signed PKCS12 key store for 127.0.0.1, made once per run with keytool. */
  synchronized Path keyStore() {
    if (keyStore == null) {
      Path path = workDirectory.resolve("smoke-https.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      List<String> command =
          List.of(
              keytool.toString(),
              "-genkeypair",
              "-alias",
              "smoke",
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-validity",
              "2",
              "-dname",
              "CN=127.0.0.1",
              "-ext",
              "SAN=ip:127.0.0.1",
              "-storetype",
              "PKCS12",
              "-keystore",
              path.toString(),
              "-storepass",
              KEY_STORE_PASSWORD,
              "-keypass",
              KEY_STORE_PASSWORD);
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException("keytool failed: " + command + "\n" + output);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      keyStore = path;
    }
    return keyStore;
  }

  @Override
  public void close() {
    apps.values().forEach(AppProcess::close);
    apps.clear();
    receiver.close();
    try (Stream<Path> files = Files.walk(workDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
    synchronized (SmokeEnvironment.class) {
      instance = null;
    }
  }

  /** Ties the shared environment to the JUnit run: it is closed when the run ends. */
  static final class Lifecycle implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(
              SmokeEnvironment.class, key -> SmokeEnvironment.get(), SmokeEnvironment.class);
    }
  }
}
