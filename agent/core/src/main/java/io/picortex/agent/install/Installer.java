package io.picortex.agent.install;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.picortex.agent.bridge.Hook;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Finds the instrumentation modules, asks each enabled one what to weave, numbers the hooks and
 * installs one ByteBuddy transformer.
 *
 * <p>Classes are transformed as they load. Retransformation is only used for the few target classes
 * that happen to be loaded already (with a JDK AOT cache, classes come from the cache before
 * premain), with class-format changes disabled, in batches. In an AOT training run nothing is
 * installed at all (see {@code Agent}).
 */
public final class Installer {
  private static final AgentLog LOG = AgentLog.get(Installer.class);

  /** What {@link #install} produced. */
  public record Installed(
      Hook[] hooks, String[] hookNames, List<String> modules, AtomicLong transformErrors) {}

  /** ByteBuddy's {@code Nexus.PROPERTY}; the build relocates it with ByteBuddy. */
  static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

  private Installer() {}

  /** Everything the modules declared, before anything is woven (also used by tests and doctor). */
  public static final class Plan implements Instrumenter {
    final List<TypesPlan> types = new ArrayList<>();
    final List<Hook> hooks = new ArrayList<>();
    final List<String> hookNames = new ArrayList<>();
    final List<String> modules = new ArrayList<>();
    private String currentModule = "?";

    @Override
    public Types types(ElementMatcher<? super TypeDescription> matcher) {
      TypesPlan t = new TypesPlan(this, currentModule, matcher);
      types.add(t);
      return t;
    }

    public List<String> modules() {
      return List.copyOf(modules);
    }

    public int hookCount() {
      return hooks.size();
    }

    /** Every advice class the modules asked for, in plan order (for contract tests and doctor). */
    public List<Class<?>> adviceClasses() {
      List<Class<?>> out = new ArrayList<>();
      for (TypesPlan t : types) {
        for (Object[] a : t.advice) {
          out.add((Class<?>) a[1]);
        }
      }
      return out;
    }

    public Hook[] hooks() {
      return hooks.toArray(new Hook[0]);
    }

    public String[] hookNames() {
      return hookNames.toArray(new String[0]);
    }
  }

  static final class TypesPlan implements Instrumenter.Types {
    final Plan plan;
    final String module;
    final ElementMatcher<? super TypeDescription> types;
    ElementMatcher<? super ClassLoader> loaders = any();
    final List<Object[]> advice = new ArrayList<>();

    TypesPlan(Plan plan, String module, ElementMatcher<? super TypeDescription> types) {
      this.plan = plan;
      this.module = module;
      this.types = types;
    }

    @Override
    public Instrumenter.Types inClassLoaders(ElementMatcher<? super ClassLoader> matcher) {
      this.loaders = matcher;
      return this;
    }

    @Override
    public Instrumenter.Types advise(
        ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass, Hook hook) {
      int id = plan.hooks.size();
      plan.hooks.add(hook);
      plan.hookNames.add(module + ":" + adviceClass.getSimpleName());
      advice.add(new Object[] {methods, adviceClass, id});
      return this;
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
      try {
        module.instrument(plan, handlers);
        plan.modules.add(name);
      } catch (RuntimeException | LinkageError e) {
        LOG.error("instrumentation could not be prepared; it is left out", e, "instrumentation",
            name);
      }
    }
    return plan;
  }

  /** Weaves the plan into classes as they load (and the few already loaded). */
  public static Installed install(
      Instrumentation inst, Plan plan, ClassLoader agentLoader, boolean retransformLoaded) {
    AtomicLong errors = new AtomicLong();
    // ByteBuddy's Nexus (for LoadedTypeInitializers, which inline advice does not use) reaches for
    // sun.misc.Unsafe, and JDK 24+ prints warnings into the application's stderr for that. After
    // relocation this property name is ours alone; an application's own ByteBuddy is unaffected.
    System.setProperty(NEXUS_DISABLED, "true");
    ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(agentLoader);
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new ErrorCounter(errors))
            .ignore(ignored());
    if (retransformLoaded) {
      builder =
          builder
              .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
              .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(8));
    }
    for (TypesPlan t : plan.types) {
      AgentBuilder.Identified.Narrowable narrowable = builder.type(t.types, t.loaders);
      AgentBuilder.Identified.Extendable extendable = null;
      for (Object[] a : t.advice) {
        @SuppressWarnings("unchecked")
        ElementMatcher<? super MethodDescription> methods =
            (ElementMatcher<? super MethodDescription>) a[0];
        AgentBuilder.Transformer transformer =
            new AgentBuilder.Transformer.ForAdvice(
                    Advice.withCustomMapping().bind(HookId.class, (Integer) a[2]))
                .include(adviceLocator)
                .advice(methods, ((Class<?>) a[1]).getName());
        extendable =
            extendable == null ? narrowable.transform(transformer) : extendable.transform(transformer);
      }
      if (extendable != null) {
        builder = extendable;
      }
    }
    builder.installOn(inst);
    return new Installed(
        plan.hooks.toArray(new Hook[0]),
        plan.hookNames.toArray(new String[0]),
        plan.modules(),
        errors);
  }

  /**
   * Decided by name only: ByteBuddy reads a name without parsing the class file. Our own classes,
   * ByteBuddy, other agents, reflection accessors, proxies and lambdas are never touched.
   */
  static ElementMatcher.Junction<TypeDescription> ignored() {
    return nameStartsWith("io.picortex.")
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("jdk.internal.reflect."))
        .or(nameStartsWith("sun.reflect."))
        .or(nameStartsWith("java.lang.invoke."))
        .or(nameStartsWith("jdk.proxy"))
        .or(nameStartsWith("com.sun.proxy."))
        .or(nameStartsWith("io.opentelemetry.javaagent."))
        .or(nameStartsWith("co.elastic.apm.agent."))
        .or(nameStartsWith("datadog.trace."))
        .or(nameStartsWith("com.intellij.rt."))
        .or(nameContains("$$Lambda"))
        .or(nameContains("/0x"));
  }

  /** Counts transformation errors (a class the advice does not fit is left as it is). */
  static final class ErrorCounter extends AgentBuilder.Listener.Adapter {
    private final AtomicLong errors;

    ErrorCounter(AtomicLong errors) {
      this.errors = errors;
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("instrumented", "class", type.getName(), "retransformed", loaded);
      }
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      errors.incrementAndGet();
      LOG.debug("class left uninstrumented", "class", typeName, "error", String.valueOf(error));
    }
  }
}
