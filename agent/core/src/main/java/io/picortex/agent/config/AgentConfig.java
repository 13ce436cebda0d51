package io.picortex.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration, read once at start-up: system properties first, then environment
 * variables ({@code otel.service.name} is {@code OTEL_SERVICE_NAME}), then the optional file named
 * by {@code otel.javaagent.configuration-file}.
 *
 * <p>Typed getters never throw: a value that cannot be used is recorded as a {@link Problem} naming
 * the key, the value and what is accepted, and the caller gets the default (or disables the part it
 * concerns). Whoever starts the agent decides what to do with the problems (strict mode stops).
 */
public final class AgentConfig {

  public static final String CONFIGURATION_FILE = "otel.javaagent.configuration-file";

  /** A value that was not accepted. */
  public record Problem(String key, String value, String accepted, String consequence) {
    public String message() {
      return "configuration " + key + "=\"" + value + "\" is not accepted (" + accepted + "); "
          + consequence;
    }
  }

  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> file;
  private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());

  private AgentConfig(
      Map<String, String> systemProperties, Map<String, String> environment, Map<String, String> file) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.file = file;
  }

  /** The configuration of this JVM. */
  public static AgentConfig fromEnvironment() {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    return of(props, System.getenv());
  }

  /** A configuration from explicit sources (tests, the command line). */
  public static AgentConfig of(Map<String, String> systemProperties, Map<String, String> environment) {
    AgentConfig withoutFile = new AgentConfig(systemProperties, environment, Map.of());
    String path = withoutFile.get(CONFIGURATION_FILE);
    if (path == null || path.isBlank()) {
      return withoutFile;
    }
    Map<String, String> fileValues = new LinkedHashMap<>();
    Problem fileProblem = null;
    try (Reader reader = Files.newBufferedReader(Path.of(path.trim()), StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(reader);
      p.forEach((k, v) -> fileValues.put(String.valueOf(k).trim(), String.valueOf(v).trim()));
    } catch (IOException | RuntimeException e) {
      fileProblem =
          new Problem(
              CONFIGURATION_FILE,
              path,
              "a readable properties file (" + e.getClass().getSimpleName() + ")",
              "the file is ignored");
    }
    AgentConfig config = new AgentConfig(systemProperties, environment, fileValues);
    if (fileProblem != null) {
      config.problems.add(fileProblem);
    }
    return config;
  }

  /** {@code otel.service.name} becomes {@code OTEL_SERVICE_NAME}. */
  public static String environmentName(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      b.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return b.toString();
  }

  /** The raw value, trimmed, or null when the key is not set anywhere (or set blank). */
  public String get(String key) {
    String v = systemProperties.get(key);
    if (v == null) {
      v = environment.get(environmentName(key));
    }
    if (v == null) {
      v = file.get(key);
    }
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  public String getString(String key, String defaultValue) {
    String v = get(key);
    return v == null ? defaultValue : v;
  }

  /** The first of {@code keys} that is set (per-signal keys before general ones). */
  public String first(String... keys) {
    for (String key : keys) {
      String v = get(key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    String v = get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    report(key, v, "true or false", "using " + defaultValue);
    return defaultValue;
  }

  public int getInt(String key, int defaultValue, int min, int max) {
    String v = get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    report(key, v, "a whole number from " + min + " to " + max, "using " + defaultValue);
    return defaultValue;
  }

  public double getDouble(String key, double defaultValue, double min, double max) {
    String v = get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v);
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    report(key, v, "a number from " + min + " to " + max, "using " + defaultValue);
    return defaultValue;
  }

  /**
   * A duration as OpenTelemetry writes it: a whole number with an optional unit {@code ms}, {@code
   * s}, {@code m}, {@code h} or {@code d}; no unit means milliseconds.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    String v = get(key);
    if (v == null) {
      return defaultValue;
    }
    Duration d = parseDuration(v);
    if (d == null) {
      report(
          key,
          v,
          "a whole number of milliseconds, or with a unit ms, s, m, h or d (e.g. 500ms, 10s)",
          "using " + defaultValue.toMillis() + "ms");
      return defaultValue;
    }
    return d;
  }

  static Duration parseDuration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 12) {
      return null;
    }
    long n = Long.parseLong(s.substring(0, i));
    String unit = s.substring(i).trim();
    return switch (unit) {
      case "", "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> null;
    };
  }

  /** A comma-separated list, entries trimmed, empty entries dropped. */
  public List<String> getList(String key, List<String> defaultValue) {
    String v = get(key);
    if (v == null) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** {@code k1=v1,k2=v2}; values may be percent-encoded (W3C baggage style, as OTel accepts). */
  public Map<String, String> getMap(String key) {
    String v = get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    for (String part : v.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        report(key, v, "a comma-separated list of name=value pairs",
            "entry " + (out.size() + 1) + " is ignored");
        continue;
      }
      String name = p.substring(0, eq).trim();
      String value = p.substring(eq + 1).trim();
      try {
        value = java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException ignored) {
        // keep the raw value
      }
      out.put(name, value);
    }
    return out;
  }

  /** Records a problem; the caller applies the consequence it describes. */
  public void report(String key, String value, String accepted, String consequence) {
    problems.add(new Problem(key, looksSecret(key) ? "<redacted>" : value, accepted, consequence));
  }

  private static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("header") || k.contains("password") || k.contains("secret")
        || k.contains("token") || k.contains("key");
  }

  public List<Problem> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }
}
