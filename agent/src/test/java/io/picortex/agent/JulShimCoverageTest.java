package io.picortex.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.picortex.agent.log.JulShim;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/**
 * The agent jar relocates the bundled libraries' {@code java.util.logging.Logger} references to
 * {@link JulShim}. Every method they call must exist there, or a library's log call would throw
 * NoSuchMethodError instead of logging.
 */
class JulShimCoverageTest {

  @Test
  void everyLoggerMethodTheBundledLibrariesCallExistsInTheShim() throws IOException {
    Set<String> called = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.endsWith(".jar") && (entry.contains("opentelemetry") || entry.contains("jackson")
          || entry.contains("byte-buddy") || entry.contains("ulid"))) {
        scan(new File(entry), called);
      }
    }
    assertThat(called).as("the OpenTelemetry SDK logs through JUL").isNotEmpty();
    Set<String> offered = new TreeSet<>();
    for (Method m : JulShim.class.getMethods()) {
      offered.add(m.getName() + Type.getMethodDescriptor(m)
          .replace("Lio/picortex/agent/log/JulShim;", "Ljava/util/logging/Logger;"));
    }
    assertThat(offered).containsAll(called);
  }

  private static void scan(File jar, Set<String> called) throws IOException {
    try (JarFile file = new JarFile(jar)) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/")) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int a, String n, String d, String s, String[] x) {
              return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int op, String owner, String name, String desc,
                    boolean itf) {
                  if (owner.equals("java/util/logging/Logger")) {
                    called.add(name + desc);
                  }
                }
              };
            }
          }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
      }
    }
  }
}
