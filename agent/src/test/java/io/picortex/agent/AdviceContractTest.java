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
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules for code woven into other people's classes, checked on every advice class of every
 * instrumentation module the agent jar contains (found as the agent finds them, via ServiceLoader).
 */
class AdviceContractTest {
  private static Installer.Plan plan;

  @BeforeAll
  static void planAllModules() {
    Tracing tracing =
        new Tracing(TracerProvider.noop().get("test"), TextMapPropagator.noop(), "X-Request-ID",
            "PICORTEX_REQUEST_ID", null);
    plan =
        Installer.plan(
            AgentConfig.of(Map.of(), Map.of()),
            Handlers.create(tracing),
            AdviceContractTest.class.getClassLoader());
  }

  @Test
  void everyModuleOfTheFoundationIsDiscoveredAndDeclaresAdvice() {
    assertThat(plan.modules())
        .contains("java-http-server", "java-http-client", "http-url-connection", "process", "jdbc");
    assertThat(plan.adviceClasses()).hasSizeGreaterThanOrEqualTo(plan.modules().size());
  }

  @Test
  void everyAdviceMethodSuppressesItsOwnThrowablesAndExitsAlsoRunOnThrow() {
    List<String> violations = new ArrayList<>();
    for (Class<?> advice : plan.adviceClasses()) {
      for (Method m : advice.getDeclaredMethods()) {
        Advice.OnMethodEnter enter = m.getAnnotation(Advice.OnMethodEnter.class);
        Advice.OnMethodExit exit = m.getAnnotation(Advice.OnMethodExit.class);
        if (enter != null && enter.suppress() != Throwable.class) {
          violations.add(advice.getName() + "#" + m.getName() + " enter without suppress");
        }
        if (exit != null && exit.suppress() != Throwable.class) {
          violations.add(advice.getName() + "#" + m.getName() + " exit without suppress");
        }
        if (exit != null && exit.onThrowable() != Throwable.class) {
          violations.add(advice.getName() + "#" + m.getName() + " exit skipped when it throws");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void wovenCodeLinksOnlyToTheJdkAndTheBridge() throws IOException {
    Set<String> foreign = new TreeSet<>();
    for (Class<?> advice : plan.adviceClasses()) {
      for (String owner : referencedTypes(advice)) {
        boolean jdk =
            owner.startsWith("java/") || owner.startsWith("javax/") || owner.startsWith("jdk/")
                || owner.startsWith("sun/") || owner.startsWith("com/sun/");
        if (!jdk && !owner.equals(advice.getName().replace('.', '/'))) {
          foreign.add(advice.getSimpleName() + " -> " + owner);
        }
      }
    }
    // the agent's and its dependencies' classes are invisible to the instrumented class's loader
    assertThat(foreign).isEmpty();
  }

  @Test
  void adviceContainsNoLambdasOrStringConcatenation() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Class<?> advice : plan.adviceClasses()) {
      try (InputStream in = bytes(advice)) {
        new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(int access, String name, String d, String s, String[] e) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitInvokeDynamicInsn(String n, String desc, net.bytebuddy.jar.asm.Handle h,
                  Object... args) {
                violations.add(advice.getSimpleName() + "#" + name + " uses invokedynamic " + n);
              }
            };
          }
        }, 0);
      }
    }
    assertThat(violations).isEmpty();
  }

  /** Types the method bodies of {@code advice} use (annotations are not linked, so not counted). */
  private static Set<String> referencedTypes(Class<?> advice) throws IOException {
    Set<String> owners = new TreeSet<>();
    try (InputStream in = bytes(advice)) {
      new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public FieldVisitor visitField(int a, String n, String desc, String s, Object v) {
          addType(owners, Type.getType(desc));
          return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String s, String[] e) {
          for (Type t : Type.getArgumentTypes(desc)) {
            addType(owners, t);
          }
          addType(owners, Type.getReturnType(desc));
          return new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
              owners.add(owner);
            }

            @Override
            public void visitFieldInsn(int op, String owner, String n, String d) {
              owners.add(owner);
            }

            @Override
            public void visitTypeInsn(int op, String type) {
              owners.add(type);
            }
          };
        }
      }, ClassReader.SKIP_DEBUG);
    }
    return owners;
  }

  private static void addType(Set<String> owners, Type t) {
    if (t.getSort() == Type.OBJECT) {
      owners.add(t.getInternalName());
    } else if (t.getSort() == Type.ARRAY && t.getElementType().getSort() == Type.OBJECT) {
      owners.add(t.getElementType().getInternalName());
    }
  }

  private static InputStream bytes(Class<?> type) {
    return type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class");
  }
}
