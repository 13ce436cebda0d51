package io.picortex.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.picortex.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Decides from the class name alone whether a loading class can be a target: one hash lookup for
 * the classes named exactly, one {@code contains} per subtype rule, nothing else. Only a candidate
 * costs more: its supertypes are resolved (subtype rules) and the advice is woven with ByteBuddy,
 * which is loaded on the first candidate, not at start-up.
 *
 * <p>Woven classes keep their shape (no new members, no changed signatures), so the same code
 * serves classes that load now and classes retransformed after loading. A class the advice does
 * not fit is left as it is and counted; nothing is ever thrown to the JVM.
 */
final class WeavingTransformer implements ClassFileTransformer {
  private static final AgentLog LOG = AgentLog.get(WeavingTransformer.class);

  private final Map<String, List<Installer.TypesPlan>> exact = new HashMap<>();
  private final List<Installer.TypesPlan> bySubtype = new ArrayList<>();
  private final ClassLoader agentLoader;
  private final AtomicLong errors = new AtomicLong();
  private volatile Weaver weaver;

  WeavingTransformer(List<Installer.TypesPlan> plans, ClassLoader agentLoader) {
    this.agentLoader = agentLoader;
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
      return weaver().weave(loader, internalName, classfileBuffer);
    } catch (Throwable t) {
      errors.incrementAndGet();
      LOG.debug("class left uninstrumented", "class", internalName, "error", String.valueOf(t));
      return null;
    }
  }

  private Weaver weaver() {
    Weaver w = weaver;
    if (w == null) {
      synchronized (this) {
        w = weaver;
        if (w == null) {
          w = new Weaver(agentLoader);
          weaver = w;
        }
      }
    }
    return w;
  }

  /** The ByteBuddy part, created on the first candidate class. */
  private final class Weaver {
    private final ByteBuddy byteBuddy =
        new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(InstrumentedType.Factory.Default.FROZEN)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    private final ClassFileLocator adviceLocator;
    private final Map<Integer, Advice> advice = new HashMap<>();

    Weaver(ClassLoader agentLoader) {
      this.adviceLocator = ClassFileLocator.ForClassLoader.of(agentLoader);
    }

    byte[] weave(ClassLoader loader, String internalName, byte[] bytes) {
      String name = internalName.replace('/', '.');
      ClassFileLocator locator =
          new ClassFileLocator.Compound(
              ClassFileLocator.Simple.of(name, bytes),
              loader == null
                  ? ClassFileLocator.ForClassLoader.ofBootLoader()
                  : ClassFileLocator.ForClassLoader.of(loader));
      TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
      TypeDescription type = pool.describe(name).resolve();
      DynamicType.Builder<?> builder = null;
      for (Installer.TypesPlan plan : plansFor(internalName)) {
        if (plan.superType != null
            && (type.isInterface() || !hasSuperType(named(plan.superType)).matches(type))) {
          continue;
        }
        for (Installer.AdvicePlan a : plan.advice) {
          if (builder == null) {
            builder = byteBuddy.redefine(type, locator);
          }
          builder = builder.visit(advice(a).on(a.methods()));
        }
      }
      if (builder == null) {
        return null;
      }
      LOG.debug("instrumented", "class", name);
      return builder.make().getBytes();
    }

    private List<Installer.TypesPlan> plansFor(String internalName) {
      List<Installer.TypesPlan> plans = new ArrayList<>(2);
      List<Installer.TypesPlan> named = exact.get(internalName);
      if (named != null) {
        plans.addAll(named);
      }
      for (Installer.TypesPlan p : bySubtype) {
        if (internalName.contains(p.nameFragment)) {
          plans.add(p);
        }
      }
      return plans;
    }

    private Advice advice(Installer.AdvicePlan a) {
      synchronized (advice) {
        return advice.computeIfAbsent(
            a.hook(),
            id ->
                Advice.withCustomMapping()
                    .bind(HookId.class, id)
                    .to(TypePool.Default.of(adviceLocator).describe(a.advice().getName()).resolve(),
                        adviceLocator));
      }
    }
  }
}
