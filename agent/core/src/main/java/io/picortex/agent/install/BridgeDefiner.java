package io.picortex.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;

/**
 * Puts {@code java.lang.PicortexBridge} into the boot loader without touching the boot class path:
 * java.base opens {@code java.lang} to the agent's module, and a private lookup on {@code Object}
 * defines the class from bytes the agent jar carries. Appending a jar to the boot class path would
 * make the JVM stop using CDS/AOT-archived classes of the application class loader.
 */
public final class BridgeDefiner {
  static final String BRIDGE = "java.lang.PicortexBridge";

  private BridgeDefiner() {}

  /** @return true when this call defined the class, false when it was there already */
  public static boolean define(Instrumentation inst, ClassLoader agentLoader) throws IOException {
    if (isDefined()) {
      return false;
    }
    Module javaBase = Object.class.getModule();
    Module agent = BridgeDefiner.class.getModule();
    inst.redefineModule(
        javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());
    byte[] bytes;
    try (InputStream in = agentLoader.getResourceAsStream("java/lang/PicortexBridge.class")) {
      if (in == null) {
        throw new IOException("the agent jar has no java/lang/PicortexBridge class");
      }
      bytes = in.readAllBytes();
    }
    try {
      MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(bytes);
    } catch (IllegalAccessException e) {
      throw new IOException("java.lang could not be opened to the agent", e);
    }
    return true;
  }

  public static boolean isDefined() {
    try {
      Class.forName(BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
