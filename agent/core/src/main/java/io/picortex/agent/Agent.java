package io.picortex.agent;

import io.picortex.agent.bridge.AgentBridge;
import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.BridgeDefiner;
import io.picortex.agent.install.Installer;
import io.picortex.agent.log.AgentLog;
import io.picortex.agent.telemetry.TelemetrySetup;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The agent's start, called by the launcher in the agent jar through the agent class loader. Order
 * matters: configuration, the bridge class in java.base, the telemetry pipeline, the bridge's
 * implementation, and only then the transformer, so woven code never runs against a half-built
 * agent.
 */
public final class Agent {
  private static final AgentLog LOG = AgentLog.get(Agent.class);

  /** Thrown when {@code picortex.strict=true} and the configuration has problems. */
  public static final class StrictModeException extends RuntimeException {
    StrictModeException(String message) {
      super(message);
    }
  }

  private static volatile Agent started;

  private final TelemetrySetup.Telemetry telemetry;
  private final AgentBridge bridge;
  private final Installer.Installed installed;

  private Agent(TelemetrySetup.Telemetry telemetry, AgentBridge bridge, Installer.Installed installed) {
    this.telemetry = telemetry;
    this.bridge = bridge;
    this.installed = installed;
  }

  /** Entry point from the launcher. Throws only in strict mode; other failures are the caller's. */
  public static void start(Instrumentation inst, String arguments, ClassLoader agentLoader)
      throws Exception {
    long begin = System.nanoTime();
    AgentConfig config = AgentConfig.fromEnvironment();
    AgentLog.setThreshold(logLevel(config));
    if (!config.getBoolean("otel.javaagent.enabled", true)) {
      LOG.info("agent disabled by otel.javaagent.enabled=false");
      return;
    }
    if (!BridgeDefiner.define(inst, agentLoader)) {
      LOG.warn("another copy of the Picortex agent is already active; this one does nothing");
      return;
    }
    long bridgeDefined = System.nanoTime();
    TelemetrySetup.Telemetry telemetry = TelemetrySetup.create(config, System.getenv());
    Handlers handlers = Handlers.create(telemetry.tracing());
    long telemetryBuilt = System.nanoTime();
    Installer.Plan plan = Installer.plan(config, handlers, agentLoader);
    long planned = System.nanoTime();

    boolean strict = config.getBoolean("picortex.strict", false);
    List<AgentConfig.Problem> problems = config.problems();
    for (AgentConfig.Problem problem : problems) {
      LOG.always(AgentLog.Level.ERROR, problem.message(), "key", problem.key());
    }
    if (strict && !problems.isEmpty()) {
      telemetry.startExporters();
      telemetry.shutdown(Duration.ofSeconds(1));
      throw new StrictModeException(
          "picortex.strict=true and the configuration has " + problems.size()
              + " problem(s); the first: " + problems.get(0).message());
    }

    // the bridge must be live before any class is woven
    AgentBridge bridge = AgentBridge.install(plan.hooks(), plan.hookNames());
    Installer.Installed installed;
    if (isAotTrainingRun(jvmArguments())) {
      // JDK 25: retransforming a class that already ran crashes the JVM writing the cache, and a
      // class transformed at load time in training can leave a dangling entry in the cache's
      // linked-class list (seen with a pool class whose nest has lambdas), crashing every run
      // that uses the cache. So training records the application's own classes, and the
      // production run (-XX:AOTCache) weaves them: there they are already loaded from the cache
      // and retransformed, which is safe.
      LOG.info("JDK AOT training run: classes are instrumented in the runs that use the cache");
      installed = new Installer.Installed(new io.picortex.agent.bridge.Hook[0], new String[0],
          List.of(), new java.util.concurrent.atomic.AtomicLong());
    } else {
      installed = Installer.install(inst, plan);
    }
    telemetry.startExporters();
    Agent agent = new Agent(telemetry, bridge, installed);
    started = agent;
    Runtime.getRuntime()
        .addShutdownHook(
            AgentThreads.factory("shutdown").newThread(() -> telemetry.shutdown(Duration.ofSeconds(5))));
    LOG.info(
        "agent started",
        "instrumentations", String.join(",", installed.modules()),
        "exporters", String.join(",", telemetry.exporters()),
        "startup_ms", (System.nanoTime() - begin) / 1_000_000,
        "config_and_bridge_ms", (bridgeDefined - begin) / 1_000_000,
        "telemetry_ms", (telemetryBuilt - bridgeDefined) / 1_000_000,
        "plan_ms", (planned - telemetryBuilt) / 1_000_000,
        "install_ms", (System.nanoTime() - planned) / 1_000_000);
  }

  /**
   * A JDK AOT cache training run ({@code -XX:AOTCacheOutput}, {@code -XX:AOTMode=record}): there
   * the agent must not retransform anything already loaded, or the JVM crashes writing the cache.
   */
  static boolean isAotTrainingRun(List<String> jvmArguments) {
    for (String a : jvmArguments) {
      if (a.startsWith("-XX:AOTCacheOutput=") || a.equals("-XX:AOTMode=record")
          || a.startsWith("-XX:ArchiveClassesAtExit=")) {
        return true;
      }
    }
    return false;
  }

  /** The command line and the JVM option variables, without loading java.management. */
  static List<String> jvmArguments() {
    List<String> args = new java.util.ArrayList<>(io.picortex.agent.util.ThisProcess.commandLine());
    for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
      String value = System.getenv(variable);
      if (value != null) {
        args.addAll(List.of(value.trim().split("\\s+")));
      }
    }
    return args;
  }

  static AgentLog.Level logLevel(AgentConfig config) {
    String level = config.getString("picortex.log.level", "warn");
    try {
      return AgentLog.Level.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      config.report("picortex.log.level", level, "debug, info, warn, error or off", "using warn");
      return AgentLog.Level.WARN;
    }
  }

  /** The running agent, or null (for the local endpoint and tests). */
  public static Agent current() {
    return started;
  }

  public long hookErrors() {
    return bridge.errorCount();
  }

  public long transformErrors() {
    return installed.transformErrors().get();
  }
}
