package io.picortex.agent.handler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds variables to a child's environment without copying the application's. {@code
 * ProcessBuilder.environment()} clones the JVM's whole environment map (hashing every name's bytes)
 * the first time it is called on a builder, and the JDK then encodes that copy into a block for the
 * child. Calling it only to add {@code TRACEPARENT} made that clone the largest part of a traced
 * process start (JFR on jdk-service: over a third of the agent's samples on request threads).
 *
 * <p>When the application never touched the builder's environment (its {@code environment} field
 * is still null, so the child would inherit the JVM's), the JDK asks {@code
 * ProcessEnvironment.toEnvironmentBlock(null, envc)} and gets null. The process module weaves that
 * method: for a start we traced, it answers instead the block the JDK itself encodes for an
 * untouched environment (computed once by calling the same method, so the bytes are the JDK's)
 * followed by our variables. The child sees exactly what it saw before through {@code
 * environment()}: the JVM's environment as the JDK snapshots it, plus ours.
 *
 * <p>Only where {@code java.lang} is opened to the agent (see {@code BridgeDefiner}) and the JDK has
 * these members (Unix JDKs 17 to 25); elsewhere {@link #available()} is false and the caller adds
 * to {@code environment()} as before.
 */
final class InheritedEnvironment {
  private static final VarHandle BUILDER_ENVIRONMENT = builderEnvironment();
  private static final MethodHandle ENVIRONMENT = processEnvironment("environment",
      MethodType.methodType(Map.class));
  private static final MethodHandle TO_BLOCK = processEnvironment("toEnvironmentBlock",
      MethodType.methodType(byte[].class, Map.class, int[].class));
  private static final Block JVM_BLOCK = jvmBlock();
  private static final Charset CHARSET = jnuCharset();
  private static final int MAX_NAMES = 64;
  private static final ConcurrentHashMap<String, String> INHERITED = new ConcurrentHashMap<>();
  /** Marks a name the JVM's environment does not have (identity compared). */
  private static final String ABSENT = new String("(absent)");

  private InheritedEnvironment() {}

  /** The JVM's environment as the JDK encodes it for a child: "NAME=value\0" each, and how many. */
  record Block(byte[] bytes, int count) {}

  static boolean available() {
    return BUILDER_ENVIRONMENT != null && JVM_BLOCK != null;
  }

  /** Whether {@code builder}'s environment was never asked for (the child inherits the JVM's). */
  static boolean untouched(ProcessBuilder builder) {
    return BUILDER_ENVIRONMENT != null && BUILDER_ENVIRONMENT.get(builder) == null;
  }

  /**
   * The JVM's own value of {@code name} (what a child inherits), or null. The JDK's snapshot never
   * changes and the names are the propagators' few, so answers are kept: {@code
   * System.getenv(name)} encodes and hashes the name on every call.
   */
  static String inheritedValue(String name) {
    String known = INHERITED.get(name);
    if (known != null) {
      return known == ABSENT ? null : known;
    }
    String value = System.getenv(name);
    if (INHERITED.size() < MAX_NAMES) {
      INHERITED.put(name, value == null ? ABSENT : value);
    }
    return value;
  }

  /** Whether the JVM's environment has {@code name}. */
  static boolean has(String name) {
    return inheritedValue(name) != null;
  }

  /** Our variables, encoded as the JDK encodes names and values, for {@link #append}. */
  static byte[] encode(String name, String value) {
    byte[] n = name.getBytes(CHARSET);
    byte[] v = value.getBytes(CHARSET);
    byte[] entry = new byte[n.length + 1 + v.length + 1];
    System.arraycopy(n, 0, entry, 0, n.length);
    entry[n.length] = '=';
    System.arraycopy(v, 0, entry, n.length + 1, v.length);
    return entry; // the last byte stays 0: the terminating NUL
  }

  /**
   * The JVM's block followed by {@code extra} ({@link #encode}d entries, {@code extraCount} of
   * them); {@code envc[0]} is set to the total count, as the JDK's own method does.
   */
  static byte[] append(byte[] extra, int extraCount, int[] envc) {
    byte[] base = JVM_BLOCK.bytes();
    byte[] block = new byte[base.length + extra.length];
    System.arraycopy(base, 0, block, 0, base.length);
    System.arraycopy(extra, 0, block, base.length, extra.length);
    envc[0] = JVM_BLOCK.count() + extraCount;
    return block;
  }

  /**
   * Asks the JDK for the block of an inherited environment, {@code toEnvironmentBlock(null, ..)}:
   * null, unless the process module's hook answers (which is how {@link ProcessHandler} finds out
   * whether that hook is in place).
   */
  static void blockForInherited() {
    if (TO_BLOCK == null) {
      return;
    }
    try {
      Object ignored = TO_BLOCK.invoke((Map<?, ?>) null, new int[1]);
    } catch (Throwable e) {
      // not woven, or the JDK changed: the caller falls back to environment()
    }
  }

  /** Visible for tests: the JVM's block as computed at start, or null when unavailable. */
  static Block jvmBlockForTests() {
    return JVM_BLOCK;
  }

  private static VarHandle builderEnvironment() {
    try {
      return MethodHandles.privateLookupIn(ProcessBuilder.class, MethodHandles.lookup())
          .findVarHandle(ProcessBuilder.class, "environment", Map.class);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * {@code ProcessEnvironment.toEnvironmentBlock(ProcessEnvironment.environment(), envc)}: the
   * block the JDK builds for a builder whose environment was asked for and left as it was.
   */
  private static Block jvmBlock() {
    if (ENVIRONMENT == null || TO_BLOCK == null) {
      return null;
    }
    try {
      int[] count = new int[1];
      byte[] bytes = (byte[]) TO_BLOCK.invoke((Map<?, ?>) ENVIRONMENT.invoke(), count);
      return bytes == null ? null : new Block(bytes, count[0]);
    } catch (Throwable e) {
      return null;
    }
  }

  private static MethodHandle processEnvironment(String name, MethodType type) {
    try {
      Class<?> environment = Class.forName("java.lang.ProcessEnvironment");
      return MethodHandles.privateLookupIn(environment, MethodHandles.lookup())
          .findStatic(environment, name, type);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Charset jnuCharset() {
    try {
      String name = System.getProperty("sun.jnu.encoding");
      return name != null ? Charset.forName(name) : Charset.defaultCharset();
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
