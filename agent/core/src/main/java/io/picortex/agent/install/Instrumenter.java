package io.picortex.agent.install;

import io.picortex.agent.bridge.Hook;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** What an {@link InstrumentationModule} uses to say which methods get which advice. */
public interface Instrumenter {

  /** Start describing the advice for the types {@code types} matches. */
  Types types(ElementMatcher<? super TypeDescription> types);

  /** Advice for one group of types. */
  interface Types {

    /**
     * Only in class loaders that {@code loaders} matches (a cheap pre-check, e.g. that the library
     * is visible at all), checked before the more expensive type matcher.
     */
    Types inClassLoaders(ElementMatcher<? super ClassLoader> loaders);

    /**
     * Weave {@code advice} (a class with static {@code @Advice.OnMethodEnter/Exit} methods that
     * carry {@code suppress = Throwable.class} and call {@code PicortexBridge}) into the methods
     * {@code methods} matches; its {@link HookId} parameters are bound to {@code hook}'s number.
     */
    Types advise(ElementMatcher<? super MethodDescription> methods, Class<?> advice, Hook hook);
  }
}
