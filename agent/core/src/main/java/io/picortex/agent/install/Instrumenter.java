package io.picortex.agent.install;

import io.picortex.agent.bridge.Hook;

/**
 * What an {@link InstrumentationModule} uses to say which methods get which advice. Types are named
 * by string, never by a type matcher: the transformer decides from the class name alone whether a
 * class can be a target (one map lookup), so classes that are not, nearly all, cost nothing.
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
     * Weave {@code advice} into the methods {@code methods} matches (declared in the type itself);
     * the bridge calls it makes reach {@code hook}. A method that more than one rule of a type
     * matches gets the first.
     */
    Types advise(Methods methods, Advice advice, Hook hook);
  }
}
