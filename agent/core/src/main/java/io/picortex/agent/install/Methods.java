package io.picortex.agent.install;

import java.util.Arrays;
import java.util.Set;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Which methods of a target class get advice, decided from what the class file says about each
 * method (access flags, name, descriptor) and nothing else: no other class is loaded or read.
 * Constructors, class initialisers, bridge methods and methods without code never match.
 *
 * <pre>{@code Methods.named("execute").isPublic().takes("java.lang.Runnable")}</pre>
 */
public final class Methods {
  private static final int VISIBILITY =
      Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE;
  private static final int NEVER =
      Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE;

  private final Set<String> names;
  private final int visibility; // -1: any; 0: package-private
  private final boolean requireStatic;
  private final int argumentCount; // -1: any
  private final String[] argumentDescriptors; // null entries: any type
  private final boolean nonVoid;

  private Methods(
      Set<String> names, int visibility, boolean requireStatic, int argumentCount,
      String[] argumentDescriptors, boolean nonVoid) {
    this.names = names;
    this.visibility = visibility;
    this.requireStatic = requireStatic;
    this.argumentCount = argumentCount;
    this.argumentDescriptors = argumentDescriptors;
    this.nonVoid = nonVoid;
  }

  /** Methods with one of these names. */
  public static Methods named(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("at least one method name");
    }
    return new Methods(Set.of(names), -1, false, -1, new String[0], false);
  }

  public Methods isPublic() {
    return withVisibility(Opcodes.ACC_PUBLIC);
  }

  public Methods isProtected() {
    return withVisibility(Opcodes.ACC_PROTECTED);
  }

  public Methods isPrivate() {
    return withVisibility(Opcodes.ACC_PRIVATE);
  }

  public Methods isStatic() {
    return new Methods(names, visibility, true, argumentCount, argumentDescriptors, nonVoid);
  }

  /** Exactly {@code count} parameters. */
  public Methods takesArguments(int count) {
    return new Methods(names, visibility, requireStatic, count, argumentDescriptors, nonVoid);
  }

  /** Exactly these parameter types (Java names: {@code "int"}, {@code "java.lang.Runnable"}). */
  public Methods takes(String... typeNames) {
    Methods m = takesArguments(typeNames.length);
    for (int i = 0; i < typeNames.length; i++) {
      m = m.takesArgument(i, typeNames[i]);
    }
    return m;
  }

  /** Parameter {@code index} has this type (a Java name: {@code "boolean"}, {@code "java.lang.String"}). */
  public Methods takesArgument(int index, String typeName) {
    String[] descriptors = Arrays.copyOf(argumentDescriptors,
        Math.max(argumentDescriptors.length, index + 1));
    descriptors[index] = descriptorOf(typeName);
    return new Methods(names, visibility, requireStatic, argumentCount, descriptors, nonVoid);
  }

  /** Not {@code void}. */
  public Methods returnsSomething() {
    return new Methods(names, visibility, requireStatic, argumentCount, argumentDescriptors, true);
  }

  private Methods withVisibility(int flag) {
    return new Methods(names, flag, requireStatic, argumentCount, argumentDescriptors, nonVoid);
  }

  /** The test, on what a class file says about one method. */
  public boolean matches(int access, String name, String descriptor) {
    if ((access & NEVER) != 0 || name.charAt(0) == '<' || !names.contains(name)) {
      return false; // constructors and class initialisers are never woven
    }
    if (visibility >= 0 && (access & VISIBILITY) != visibility) {
      return false;
    }
    if (requireStatic && (access & Opcodes.ACC_STATIC) == 0) {
      return false;
    }
    if (nonVoid && descriptor.endsWith(")V")) {
      return false;
    }
    if (argumentCount < 0 && argumentDescriptors.length == 0) {
      return true;
    }
    Type[] arguments = Type.getArgumentTypes(descriptor);
    if (argumentCount >= 0 && arguments.length != argumentCount) {
      return false;
    }
    for (int i = 0; i < argumentDescriptors.length; i++) {
      String expected = argumentDescriptors[i];
      if (expected != null
          && (i >= arguments.length || !arguments[i].getDescriptor().equals(expected))) {
        return false;
      }
    }
    return true;
  }

  static String descriptorOf(String typeName) {
    switch (typeName) {
      case "boolean": return "Z";
      case "byte": return "B";
      case "char": return "C";
      case "short": return "S";
      case "int": return "I";
      case "long": return "J";
      case "float": return "F";
      case "double": return "D";
      default:
        if (typeName.endsWith("[]")) {
          return "[" + descriptorOf(typeName.substring(0, typeName.length() - 2));
        }
        return "L" + typeName.replace('.', '/') + ";";
    }
  }

  @Override
  public String toString() {
    return String.join("|", names.stream().sorted().toList());
  }
}
