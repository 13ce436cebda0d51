package io.picortex.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Answers "does this class extend or implement that type?" for a class that is being loaded, from
 * class files only: the direct supertypes are read from the class file headers (the loader's
 * resources), never by loading a class. Only candidate classes (name pre-filter) ask, so the
 * caches stay small; they are bounded anyway and per class loader, which they never keep alive.
 */
final class SuperTypes {
  private static final int MAX_PER_LOADER = 4096;
  private static final String[] NONE = new String[0];

  private final Map<String, String[]> jdk = new HashMap<>();
  private final Map<ClassLoader, Map<String, String[]>> byLoader = new WeakHashMap<>();

  /** Whether the class in {@code header} (loaded by {@code loader}) has {@code superType} above it. */
  boolean isSubtype(ClassLoader loader, ClassReader header, String superType) {
    ArrayDeque<String> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    add(queue, seen, header.getSuperName());
    for (String i : header.getInterfaces()) {
      add(queue, seen, i);
    }
    for (int steps = 0; !queue.isEmpty() && steps < 256; steps++) {
      String name = queue.poll();
      if (name.equals(superType)) {
        return true;
      }
      for (String next : direct(loader, name)) {
        add(queue, seen, next);
      }
    }
    return false;
  }

  private static void add(ArrayDeque<String> queue, Set<String> seen, String name) {
    if (name != null && !name.equals("java/lang/Object") && seen.add(name)) {
      queue.add(name);
    }
  }

  /** Superclass and interfaces of {@code name} as {@code loader} sees it; none if unreadable. */
  private synchronized String[] direct(ClassLoader loader, String name) {
    boolean shared = name.startsWith("java/") || name.startsWith("javax/");
    Map<String, String[]> cache =
        shared ? jdk : byLoader.computeIfAbsent(loader, l -> new HashMap<>());
    String[] known = cache.get(name);
    if (known != null) {
      return known;
    }
    String[] found = read(loader, name);
    if (cache.size() >= MAX_PER_LOADER) {
      cache.clear();
    }
    cache.put(name, found);
    return found;
  }

  private static String[] read(ClassLoader loader, String name) {
    ClassLoader from = loader != null ? loader : ClassLoader.getSystemClassLoader();
    try (InputStream in = from.getResourceAsStream(name + ".class")) {
      if (in == null) {
        return NONE;
      }
      ClassReader reader = new ClassReader(in);
      String superName = reader.getSuperName();
      String[] interfaces = reader.getInterfaces();
      String[] out = new String[interfaces.length + (superName == null ? 0 : 1)];
      System.arraycopy(interfaces, 0, out, 0, interfaces.length);
      if (superName != null) {
        out[interfaces.length] = superName;
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }
}
