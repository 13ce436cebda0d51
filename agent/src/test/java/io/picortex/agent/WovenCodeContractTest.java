package io.picortex.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.handler.Tracing;
import io.picortex.agent.install.Installer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules for code woven into other people's classes, checked on what the agent really weaves:
 * every module is found as the agent finds it (ServiceLoader), and every JDK class a module names
 * is read from the running JDK and woven with the real plan. (That the JVM's verifier accepts the
 * result is proven where it runs: the smoke tests start the services with verification of JDK
 * classes switched on, and {@code AdviceWeaverTest} defines woven classes in a verifying loader.)
 */
class WovenCodeContractTest {
  /** Rules for methods that exist only on some JDK versions. */
  private static final Set<String> VERSION_SPECIFIC =
      Set.of("executors:TaskHook#poolSubmit", "executors:TaskHook#externalSubmit",
          "executors:TaskHook#newVirtualThread");

  private static Installer.Plan plan;
  private static final Map<String, byte[]> original = new HashMap<>();
  private static final Map<String, byte[]> woven = new HashMap<>();

  @BeforeAll
  static void weaveEveryNamedJdkClass() throws IOException {
    Tracing tracing =
        new Tracing(TracerProvider.noop().get("test"), TextMapPropagator.noop(), "X-Request-ID",
            "PICORTEX_REQUEST_ID", null);
    plan =
        Installer.plan(
            AgentConfig.of(Map.of(), Map.of()),
            Handlers.create(tracing),
            WovenCodeContractTest.class.getClassLoader());
    for (String type : plan.namedTypes()) {
      try (InputStream in =
          ClassLoader.getSystemResourceAsStream(type.replace('.', '/') + ".class")) {
        if (in != null) { // e.g. java.lang.ThreadBuilders exists from JDK 19 on
          byte[] bytes = in.readAllBytes();
          original.put(type, bytes);
          woven.put(type, plan.weave(null, type, bytes));
        }
      }
    }
  }

  @Test
  void everyModuleIsDiscoveredAndEveryJdkClassItNamesIsWoven() {
    assertThat(plan.modules())
        .contains("java-http-server", "java-http-client", "http-url-connection", "process", "jdbc",
            "executors");
    assertThat(original).containsKeys("java.lang.ProcessBuilder",
        "com.sun.net.httpserver.Filter$Chain", "jdk.internal.net.http.HttpClientFacade",
        "sun.net.www.protocol.http.HttpURLConnection", "java.util.concurrent.ThreadPoolExecutor");
    woven.forEach((type, bytes) -> assertThat(bytes).as(type).isNotNull());
  }

  @Test
  void everyRuleForAJdkClassFindsItsMethodOnThisJdk() {
    Set<Integer> wovenHooks = new TreeSet<>();
    woven.values().forEach(bytes -> wovenHooks.addAll(hooksCalled(bytes)));
    String[] names = plan.hookNames();
    List<String> missing = new ArrayList<>();
    for (int hook = 0; hook < names.length; hook++) {
      boolean jdbc = names[hook].startsWith("jdbc:"); // subtypes of driver classes, not the JDK's
      if (!jdbc && !wovenHooks.contains(hook) && !VERSION_SPECIFIC.contains(names[hook])) {
        missing.add(names[hook]);
      }
    }
    assertThat(missing).as("rules whose method this JDK does not have").isEmpty();
  }

  @Test
  void wovenCodeLinksOnlyToTheJdkAndTheBridgeAndAddsNoInvokedynamic() {
    Set<String> added = new TreeSet<>();
    woven.forEach((type, bytes) -> {
      Set<String> before = references(original.get(type));
      for (String ref : references(bytes)) {
        if (!before.contains(ref)) {
          added.add(ref);
        }
      }
    });
    // the agent's own classes are invisible to the JDK's loaders: only the bridge may appear
    assertThat(added).allMatch(
        r -> r.startsWith("java/lang/PicortexBridge.") || r.equals("java/lang/Throwable")
            || r.matches("java/lang/(Boolean|Byte|Character|Short|Integer|Long|Float|Double)"
                + "\\.valueOf"),
        "only PicortexBridge calls");
    assertThat(added).contains("java/lang/PicortexBridge.enter");
  }

  /** Hook numbers passed to PicortexBridge.enter: the last int constant before each call. */
  private static Set<Integer> hooksCalled(byte[] bytes) {
    Set<Integer> hooks = new TreeSet<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int a, String n, String d, String s, String[] e) {
        return new MethodVisitor(Opcodes.ASM9) {
          int lastInt = -1;

          @Override
          public void visitInsn(int opcode) {
            if (opcode >= Opcodes.ICONST_0 && opcode <= Opcodes.ICONST_5) {
              lastInt = opcode - Opcodes.ICONST_0;
            }
          }

          @Override
          public void visitIntInsn(int opcode, int operand) {
            lastInt = operand;
          }

          @Override
          public void visitMethodInsn(int op, String owner, String name, String desc, boolean i) {
            if (owner.equals("java/lang/PicortexBridge") && name.equals("enter")) {
              hooks.add(lastInt);
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return hooks;
  }

  /**
   * Methods, fields and types the code refers to ("owner.name", or the type), indy names, and the
   * types in the class's own method signatures (casts to those link wherever the class does).
   */
  private static Set<String> references(byte[] bytes) {
    Set<String> refs = new TreeSet<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int a, String n, String d, String s, String[] e) {
        Type method = Type.getMethodType(d);
        for (Type t : method.getArgumentTypes()) {
          if (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) {
            refs.add(t.getInternalName());
          }
        }
        if (method.getReturnType().getSort() == Type.OBJECT) {
          refs.add(method.getReturnType().getInternalName());
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int op, String owner, String name, String desc, boolean i) {
            refs.add(owner + "." + name);
          }

          @Override
          public void visitFieldInsn(int op, String owner, String name, String desc) {
            refs.add(owner + "." + name);
          }

          @Override
          public void visitTypeInsn(int op, String type) {
            refs.add(type);
          }

          @Override
          public void visitTryCatchBlock(
              net.bytebuddy.jar.asm.Label start, net.bytebuddy.jar.asm.Label end,
              net.bytebuddy.jar.asm.Label handler, String type) {
            if (type != null) {
              refs.add(type);
            }
          }

          @Override
          public void visitInvokeDynamicInsn(String name, String desc, Handle h, Object... args) {
            refs.add("invokedynamic " + name + " " + h.getOwner() + "." + h.getName());
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return refs;
  }
}
