package io.picortex.agent.log;

/** Minimal JSON string quoting, so that start-up does not have to load a JSON library. */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  public static void quote(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            if (c >= 0x100) { // line separators: write the full escape
              b.setLength(b.length() - 6);
              b.append("\\u").append(Integer.toHexString(c));
            }
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s == null ? 4 : s.length() + 2);
    quote(b, s);
    return b.toString();
  }
}
