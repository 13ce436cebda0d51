package io.picortex.agent.install;

import io.picortex.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Decides from the class name alone whether a loading class can be a target: one hash lookup for
 * the classes named exactly, one {@code contains} per subtype rule, nothing else. Only a candidate
 * costs more: its supertypes are read from class file headers (subtype rules) and the advice is
 * woven with ASM ({@link AdviceWeaver}).
 *
 * <p>Woven classes keep their shape (no new members, no changed signatures), so the same code
 * serves classes that load now and classes retransformed after loading. A class the advice does
 * not fit is left as it is and counted; nothing is ever thrown to the JVM.
 */
final class WeavingTransformer implements ClassFileTransformer {
  private static final AgentLog LOG = AgentLog.get(WeavingTransformer.class);

  private final Map<String, List<Installer.TypesPlan>> exact = new HashMap<>();
  private final List<Installer.TypesPlan> bySubtype = new ArrayList<>();
  private final AtomicLong errors = new AtomicLong();
  private final AdviceWeaver weaver;
  private final SuperTypes superTypes = new SuperTypes();

  WeavingTransformer(List<Installer.TypesPlan> plans) {
    this(plans, new AdviceWeaver());
  }

  WeavingTransformer(List<Installer.TypesPlan> plans, AdviceWeaver weaver) {
    this.weaver = weaver;
    for (Installer.TypesPlan p : plans) {
      if (p.internalName != null) {
        exact.computeIfAbsent(p.internalName, k -> new ArrayList<>(2)).add(p);
      } else {
        bySubtype.add(p);
      }
    }
  }

  AtomicLong errors() {
    return errors;
  }

  /** The cheap, name-only test; true does not mean the class will be changed. */
  boolean isCandidate(String internalName, ClassLoader loader) {
    if (exact.containsKey(internalName)) {
      return true;
    }
    if (bySubtype.isEmpty() || loader == null || ignored(internalName)) {
      return false;
    }
    for (Installer.TypesPlan p : bySubtype) {
      if (internalName.contains(p.nameFragment)) {
        return true;
      }
    }
    return false;
  }

  /** Never matched by subtype: the JDK, the agent, other agents, generated classes. */
  private static boolean ignored(String n) {
    return n.startsWith("java/") || n.startsWith("javax/") || n.startsWith("jdk/")
        || n.startsWith("sun/") || n.startsWith("com/sun/") || n.startsWith("io/picortex/")
        || n.startsWith("io/opentelemetry/javaagent/") || n.startsWith("co/elastic/apm/agent/")
        || n.startsWith("datadog/trace/") || n.contains("$$Lambda") || n.contains("/0x");
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (internalName == null || !isCandidate(internalName, loader)) {
      return null;
    }
    try {
      byte[] woven = weave(loader, internalName, classfileBuffer);
      if (woven != null) {
        LOG.debug("instrumented", "class", internalName);
      }
      return woven;
    } catch (Throwable t) {
      errors.incrementAndGet();
      LOG.debug("class left uninstrumented", "class", internalName, "error", String.valueOf(t));
      return null;
    }
  }

  /** The woven class, or null when none of its methods is a target. */
  byte[] weave(ClassLoader loader, String internalName, byte[] bytes) {
    List<AdviceWeaver.Rule> rules = new ArrayList<>(4);
    List<Installer.TypesPlan> named = exact.get(internalName);
    if (named != null) {
      for (Installer.TypesPlan p : named) {
        p.addRules(rules);
      }
    }
    ClassReader header = null;
    for (Installer.TypesPlan p : bySubtype) {
      if (!internalName.contains(p.nameFragment)) {
        continue;
      }
      if (header == null) {
        header = new ClassReader(bytes);
        if ((header.getAccess() & net.bytebuddy.jar.asm.Opcodes.ACC_INTERFACE) != 0) {
          break;
        }
      }
      if (superTypes.isSubtype(loader, header, p.superType)) {
        p.addRules(rules);
      }
    }
    return rules.isEmpty() ? null : weaver.weave(bytes, rules);
  }
}
