package io.picortex.agent.install;

import io.picortex.agent.bridge.AgentThreads;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the instrumentation modules, asks each enabled one what to weave, numbers the hooks and
 * registers one {@link WeavingTransformer}.
 *
 * <p>Classes are woven as they load. Target classes that are loaded already (with a JDK AOT cache,
 * classes come from the cache before premain) are retransformed, in small batches so that one
 * class that refuses does not sink the others. In an AOT training run nothing is installed at all
 * (see {@code Agent}).
 */
public final class Installer {
  private static final AgentLog LOG = AgentLog.get(Installer.class);
  private static final int RETRANSFORM_BATCH = 8;

  /** What {@link #install} produced. */
  public record Installed(
      Hook[] hooks, String[] hookNames, List<String> modules, AtomicLong transformErrors) {}

  private Installer() {}

  /** Everything the modules declared, before anything is woven (also used by tests and doctor). */
  public static final class Plan implements Instrumenter {
    final List<TypesPlan> types = new ArrayList<>();
    final List<Hook> hooks = new ArrayList<>();
    final List<String> hookNames = new ArrayList<>();
    final List<String> modules = new ArrayList<>();
    private String currentModule = "?";

    @Override
    public Types type(String className) {
      TypesPlan t = new TypesPlan(this, currentModule, className, null, null);
      types.add(t);
      return t;
    }

    @Override
    public Types subtypesOf(String superType, String nameFragment) {
      TypesPlan t = new TypesPlan(this, currentModule, null, superType, nameFragment);
      types.add(t);
      return t;
    }

    public List<String> modules() {
      return List.copyOf(modules);
    }

    public int hookCount() {
      return hooks.size();
    }

    /** Every rule the modules declared, in plan order: "type: methods -> advice" (tests, doctor). */
    public List<String> rules() {
      List<String> out = new ArrayList<>();
      for (TypesPlan t : types) {
        String type = t.internalName != null ? t.internalName.replace('/', '.')
            : "subtypes of " + t.superType.replace('/', '.') + " named *" + t.nameFragment + "*";
        for (AdviceWeaver.Rule r : t.advice) {
          out.add(type + ": " + r.methods() + " -> " + r.advice());
        }
      }
      return out;
    }

    /** Classes named exactly by some rule, as binary names (tests, doctor). */
    public List<String> namedTypes() {
      List<String> out = new ArrayList<>();
      for (TypesPlan t : types) {
        if (t.internalName != null && !out.contains(t.internalName.replace('/', '.'))) {
          out.add(t.internalName.replace('/', '.'));
        }
      }
      return out;
    }

    /**
     * What the agent would make of one class file: the woven bytes, or null when it is not a
     * target (tests, doctor). Throws where the agent would leave the class unwoven.
     */
    public byte[] weave(ClassLoader loader, String className, byte[] classFile) {
      return new WeavingTransformer(types).weave(loader, className.replace('.', '/'), classFile);
    }

    public Hook[] hooks() {
      return hooks.toArray(new Hook[0]);
    }

    public String[] hookNames() {
      return hookNames.toArray(new String[0]);
    }
  }

  /** A class named exactly, or subtypes of a type with a name fragment. */
  static final class TypesPlan implements Instrumenter.Types {
    final Plan plan;
    final String module;
    final String internalName;
    final String superType;
    final String nameFragment;
    final List<AdviceWeaver.Rule> advice = new ArrayList<>();

    TypesPlan(Plan plan, String module, String className, String superType, String nameFragment) {
      this.plan = plan;
      this.module = module;
      this.internalName = className == null ? null : className.replace('.', '/');
      this.superType = superType == null ? null : superType.replace('.', '/');
      this.nameFragment = nameFragment;
    }

    @Override
    public Instrumenter.Types advise(Methods methods, Advice adviceSpec, Hook hook) {
      int id = plan.hooks.size();
      plan.hooks.add(hook);
      plan.hookNames.add(module + ":" + hook.getClass().getSimpleName() + "#" + methods);
      advice.add(new AdviceWeaver.Rule(methods, adviceSpec, id));
      return this;
    }

    void addRules(List<AdviceWeaver.Rule> into) {
      into.addAll(advice);
    }
  }

  /** Asks every enabled module for its plan. */
  public static Plan plan(AgentConfig config, Handlers handlers, ClassLoader agentLoader) {
    Plan plan = new Plan();
    boolean defaultEnabled = config.getBoolean("otel.instrumentation.common.default-enabled", true);
    for (InstrumentationModule module :
        ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
      String name = module.name();
      if (!config.getBoolean("otel.instrumentation." + name + ".enabled", defaultEnabled)) {
        LOG.info("instrumentation disabled by configuration", "instrumentation", name);
        continue;
      }
      plan.currentModule = name;
      int typesBefore = plan.types.size();
      try {
        module.instrument(plan, handlers);
        plan.modules.add(name);
      } catch (RuntimeException | LinkageError e) {
        plan.types.subList(typesBefore, plan.types.size()).clear();
        LOG.error("instrumentation could not be prepared; it is left out", e, "instrumentation",
            name);
      }
    }
    return plan;
  }

  private static void retransform(
      Instrumentation inst, List<Class<?>> loaded, WeavingTransformer transformer) {
    for (int i = 0; i < loaded.size(); i += RETRANSFORM_BATCH) {
      List<Class<?>> batch = loaded.subList(i, Math.min(loaded.size(), i + RETRANSFORM_BATCH));
      try {
        inst.retransformClasses(batch.toArray(new Class<?>[0]));
      } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
        transformer.errors().incrementAndGet();
        LOG.debug("classes left uninstrumented", "classes", batch.toString(), "error",
            String.valueOf(e));
      }
    }
    LOG.debug("retransformed classes loaded before the agent", "count", loaded.size());
  }

  /** Weaves the plan into classes as they load, and into the targets already loaded. */
  public static Installed install(Instrumentation inst, Plan plan) {
    WeavingTransformer transformer = new WeavingTransformer(plan.types);
    inst.addTransformer(transformer, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (transformer.isCandidate(c.getName().replace('.', '/'), c.getClassLoader())
          && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    if (!loaded.isEmpty()) {
      // Retransforming costs the JVM more than weaving at load time, and the application's main
      // thread need not wait for it. Classes that load from now on are woven as they load; these
      // few catch up on an agent thread.
      AgentThreads.factory("retransform")
          .newThread(() -> retransform(inst, loaded, transformer))
          .start();
    }
    return new Installed(plan.hooks(), plan.hookNames(), plan.modules(), transformer.errors());
  }
}
