package io.picortex.agent.install;

import io.picortex.agent.bridge.Hook;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What an {@link InstrumentationModule} uses to say which methods get which advice. Types are named
 * by string, never by a type matcher: the transformer decides from the class name alone whether a
 * class can be a target (one map lookup), so classes that are not, nearly all, cost nothing, and
 * ByteBuddy is not even loaded until the first target class appears.
 */
public interface Instrumenter {

  /** The class with exactly this name (binary name, {@code Outer$Inner} for nested classes). */
  Types type(String className);

  /**
   * Concrete classes that extend or implement {@code superType} and whose name contains {@code
   * nameFragment}: the fragment is a cheap pre-filter before the supertypes are resolved, which
   * costs reading class files. JDK classes are never matched this way.
   */
  Types subtypesOf(String superType, String nameFragment);

  /** Advice for one group of types. */
  interface Types {

    /**
     * Weave {@code advice} (a class with static {@code @Advice.OnMethodEnter/Exit} methods that
     * carry {@code suppress = Throwable.class} and call {@code PicortexBridge}) into the methods
     * {@code methods} matches; its {@link HookId} parameters are bound to {@code hook}'s number.
     */
    Types advise(ElementMatcher<? super MethodDescription> methods, Class<?> advice, Hook hook);
  }
}
