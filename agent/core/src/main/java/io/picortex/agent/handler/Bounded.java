package io.picortex.agent.handler;

/** Keeps values taken from requests within a size, with no control characters. */
final class Bounded {
  private Bounded() {}

  static String text(String value, int max) {
    if (value == null) {
      return null;
    }
    int n = Math.min(value.length(), max);
    for (int i = 0; i < n; i++) {
      if (value.charAt(i) < 0x20 || value.charAt(i) == 0x7f) {
        return clean(value, n);
      }
    }
    return n == value.length() ? value : value.substring(0, n);
  }

  private static String clean(String value, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return b.toString();
  }
}
