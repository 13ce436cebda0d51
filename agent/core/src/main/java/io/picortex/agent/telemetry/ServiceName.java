package io.picortex.agent.telemetry;

/**
 * A service name that makes sense when none is configured: the application jar's name without
 * version and extension ({@code orders-1.4.2.jar} is {@code orders}), else the main class's simple
 * name in kebab case ({@code io.acme.OrderService} is {@code order-service}).
 */
public final class ServiceName {
  private ServiceName() {}

  /** @param javaCommand the {@code sun.java.command} property: main class or jar, then arguments */
  public static String derive(String javaCommand) {
    if (javaCommand == null || javaCommand.isBlank()) {
      return "java-service";
    }
    String first = javaCommand.trim().split("\\s+", 2)[0];
    if (first.endsWith(".jar")) {
      int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
      String base = first.substring(slash + 1, first.length() - 4);
      String withoutVersion = base.replaceFirst("-\\d+(\\.\\d+)*([.-][A-Za-z0-9]+)*$", "");
      return withoutVersion.isEmpty() ? base : withoutVersion;
    }
    int dot = first.lastIndexOf('.');
    String simple = dot >= 0 ? first.substring(dot + 1) : first;
    return kebab(simple);
  }

  static String kebab(String camel) {
    StringBuilder b = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
          b.append('-');
        }
        b.append(Character.toLowerCase(c));
      } else if (c == '$' || c == '_') {
        b.append('-');
      } else {
        b.append(c);
      }
    }
    return b.length() == 0 ? "java-service" : b.toString();
  }
}
