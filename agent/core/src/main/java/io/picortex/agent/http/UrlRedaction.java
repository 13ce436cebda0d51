package io.picortex.agent.http;

/**
 * Makes URLs safe to record ({@code url.full}, {@code url.query}): credentials in the user info
 * become {@code REDACTED:REDACTED} (as the OpenTelemetry conventions ask), and the value of every
 * query, fragment or path ({@code ;name=value}) parameter whose name looks like a secret becomes
 * {@value #REDACTED}. Results are cut at {@value #MAX_LENGTH} characters.
 *
 * <p>A name looks like a secret when it contains, ignoring case and after percent-decoding, any of
 * {@code token}, {@code key}, {@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code
 * sig} (so {@code signature}, {@code X-Amz-Signature}), {@code auth}, {@code credential}, {@code
 * session} ({@code jsessionid}), {@code code} (OAuth authorization codes) or {@code jwt}. Matching
 * on parts of names errs towards redacting too much ({@code zipcode}, {@code author}): a lost value
 * costs a little debugging, a leaked one costs an incident.
 *
 * <p>Input that needs no change is returned as is, without allocating.
 */
public final class UrlRedaction {

  /** What a secret value is replaced with. */
  public static final String REDACTED = "REDACTED";

  /** Longest URL or query returned. */
  public static final int MAX_LENGTH = 2048;

  private static final String REDACTED_USER_INFO = "REDACTED:REDACTED@";

  /** Name parts that mark a secret ("signature" is covered by "sig", "passwd" kept for clarity). */
  private static final String[] SECRET_NAME_PARTS = {
    "token",
    "key",
    "password",
    "passwd",
    "pwd",
    "secret",
    "sig",
    "auth",
    "credential",
    "session",
    "code",
    "jwt"
  };

  /** The secret name parts by their (lower-case ASCII) first letter: one lookup per position. */
  private static final String[][] PARTS_BY_FIRST_LETTER = new String[26][];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      java.util.List<String> parts = new java.util.ArrayList<>();
      for (String part : SECRET_NAME_PARTS) {
        if (part.charAt(0) == c) {
          parts.add(part);
        }
      }
      PARTS_BY_FIRST_LETTER[c - 'a'] = parts.isEmpty() ? null : parts.toArray(new String[0]);
    }
  }

  private UrlRedaction() {}

  /**
   * {@code rawQuery} (the part after {@code ?}, not decoded) with the values of secret-looking
   * parameters replaced; {@code &} and {@code ;} both separate parameters. {@code null} stays
   * {@code null}.
   */
  public static String redactQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return rawQuery;
    }
    int length = rawQuery.length();
    if (length <= MAX_LENGTH && !hasSecretParameter(rawQuery, 0, length)) {
      return rawQuery;
    }
    StringBuilder out = new StringBuilder(Math.min(length, MAX_LENGTH) + REDACTED.length());
    appendParameters(rawQuery, 0, length, out);
    return bounded(out);
  }

  /**
   * {@code url} with user info credentials, secret-looking query, fragment and path parameter
   * values redacted, cut at {@value #MAX_LENGTH} characters. Works on absolute URLs ({@code
   * scheme://...}) and on relative ones ({@code /path?query}).
   */
  public static String redactUrl(String url) {
    if (url == null || url.isEmpty()) {
      return url;
    }
    int length = url.length();
    int authorityStart = authorityStart(url);
    int authorityEnd = authorityStart < 0 ? 0 : endOf(url, authorityStart, length, "/?#");
    int at = authorityStart < 0 ? -1 : url.lastIndexOf('@', authorityEnd - 1);
    boolean userInfo = at >= authorityStart && authorityStart >= 0;
    int fragmentStart = endOf(url, authorityEnd, length, "#");
    int queryStart = endOf(url, authorityEnd, fragmentStart, "?");

    if (length <= MAX_LENGTH
        && !userInfo
        && !hasSecretPathParameter(url, authorityEnd, queryStart)
        && (queryStart == fragmentStart || !hasSecretParameter(url, queryStart + 1, fragmentStart))
        && (fragmentStart == length || !hasSecretParameter(url, fragmentStart + 1, length))) {
      return url;
    }

    StringBuilder out = new StringBuilder(Math.min(length, MAX_LENGTH) + 32);
    if (userInfo) {
      appendBounded(url, 0, authorityStart, out);
      out.append(REDACTED_USER_INFO);
      appendBounded(url, at + 1, authorityEnd, out);
    } else {
      appendBounded(url, 0, authorityEnd, out);
    }
    appendPath(url, authorityEnd, queryStart, out);
    if (queryStart < fragmentStart && out.length() < MAX_LENGTH) {
      out.append('?');
      appendParameters(url, queryStart + 1, fragmentStart, out);
    }
    if (fragmentStart < length && out.length() < MAX_LENGTH) {
      out.append('#');
      appendParameters(url, fragmentStart + 1, length, out);
    }
    return bounded(out);
  }

  /**
   * {@code url.full} for a request known by its parts: {@code scheme://host[:port]path[?query]},
   * the port left out when it is the scheme's default or not positive, an IPv6 host bracketed,
   * secret-looking parameters redacted, cut at {@value #MAX_LENGTH} characters. {@code null} when
   * {@code host} is null or empty.
   */
  public static String fullUrl(String scheme, String host, int port, String path, String rawQuery) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String safeScheme = scheme == null || scheme.isEmpty() ? "http" : scheme;
    StringBuilder out = new StringBuilder(64);
    out.append(safeScheme).append("://");
    boolean bracket = host.indexOf(':') >= 0 && host.charAt(0) != '[';
    if (bracket) {
      out.append('[');
    }
    appendBounded(host, 0, host.length(), out);
    if (bracket) {
      out.append(']');
    }
    if (port > 0 && port != defaultPort(safeScheme)) {
      out.append(':').append(port);
    }
    if (path != null && !path.isEmpty()) {
      if (path.charAt(0) != '/') {
        out.append('/');
      }
      appendPath(path, 0, path.length(), out);
    }
    if (rawQuery != null && !rawQuery.isEmpty() && out.length() < MAX_LENGTH) {
      out.append('?');
      appendParameters(rawQuery, 0, rawQuery.length(), out);
    }
    return bounded(out);
  }

  // ---- parameters ----------------------------------------------------------------------------

  private static boolean hasSecretParameter(String s, int start, int end) {
    int i = start;
    while (i < end) {
      int parameterEnd = endOf(s, i, end, "&;");
      int equals = endOf(s, i, parameterEnd, "=");
      if (equals < parameterEnd && isSecretName(s, i, equals)) {
        return true;
      }
      i = parameterEnd + 1;
    }
    return false;
  }

  /** Copies {@code name=value} parameters in {@code [start, end)}, redacting secret values. */
  private static void appendParameters(String s, int start, int end, StringBuilder out) {
    int i = start;
    while (i < end && out.length() < MAX_LENGTH) {
      int parameterEnd = endOf(s, i, end, "&;");
      int equals = endOf(s, i, parameterEnd, "=");
      if (equals < parameterEnd && isSecretName(s, i, equals)) {
        appendBounded(s, i, equals + 1, out);
        out.append(REDACTED);
      } else {
        appendBounded(s, i, parameterEnd, out);
      }
      if (parameterEnd < end) {
        out.append(s.charAt(parameterEnd));
      }
      i = parameterEnd + 1;
    }
  }

  /** Whether a {@code ;name=value} path parameter in {@code [start, end)} has a secret name. */
  private static boolean hasSecretPathParameter(String s, int start, int end) {
    for (int i = endOf(s, start, end, ";"); i < end; i = endOf(s, i + 1, end, ";")) {
      int parameterEnd = endOf(s, i + 1, end, "/;");
      int equals = endOf(s, i + 1, parameterEnd, "=");
      if (equals < parameterEnd && isSecretName(s, i + 1, equals)) {
        return true;
      }
    }
    return false;
  }

  /** Copies a path, redacting secret {@code ;name=value} path parameters (e.g. jsessionid). */
  private static void appendPath(String s, int start, int end, StringBuilder out) {
    int i = start;
    while (i < end && out.length() < MAX_LENGTH) {
      int semicolon = endOf(s, i, end, ";");
      appendBounded(s, i, semicolon, out);
      if (semicolon == end) {
        return;
      }
      int parameterEnd = endOf(s, semicolon + 1, end, "/;");
      int equals = endOf(s, semicolon + 1, parameterEnd, "=");
      if (equals < parameterEnd && isSecretName(s, semicolon + 1, equals)) {
        appendBounded(s, semicolon, equals + 1, out);
        out.append(REDACTED);
      } else {
        appendBounded(s, semicolon, parameterEnd, out);
      }
      i = parameterEnd;
    }
  }

  /** Whether the (raw, maybe percent-encoded) name in {@code [start, end)} looks like a secret. */
  static boolean isSecretName(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        String decoded = decodeName(s, start, end);
        return containsSecretPart(decoded, 0, decoded.length());
      }
    }
    return containsSecretPart(s, start, end);
  }

  private static boolean containsSecretPart(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c < 'a' || c > 'z') {
        continue;
      }
      String[] parts = PARTS_BY_FIRST_LETTER[c - 'a'];
      if (parts == null) {
        continue;
      }
      for (String part : parts) {
        if (i + part.length() <= end && s.regionMatches(true, i, part, 0, part.length())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Percent-decodes a parameter name, byte by byte: enough to see ASCII words through {@code %XX}.
   */
  private static String decodeName(String s, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.append(' ');
      } else if (c == '%'
          && i + 2 < end
          && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.append((char) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Start of the authority after {@code scheme://}, or -1 when {@code url} has no scheme. */
  private static int authorityStart(String url) {
    int length = url.length();
    for (int i = 0; i < length; i++) {
      char c = url.charAt(i);
      if (c == ':') {
        return i > 0 && url.startsWith("//", i + 1) ? i + 3 : -1;
      }
      boolean schemeChar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!schemeChar) {
        return -1;
      }
    }
    return -1;
  }

  private static int defaultPort(String scheme) {
    if (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("ws")) {
      return 80;
    }
    if (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss")) {
      return 443;
    }
    return -1;
  }

  /** Index of the first of {@code stops} in {@code [from, end)}, or {@code end}. */
  private static int endOf(String s, int from, int end, String stops) {
    for (int i = from; i < end; i++) {
      if (stops.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return end;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Appends {@code [start, end)}, but never much more than {@link #MAX_LENGTH} allows. */
  private static void appendBounded(String s, int start, int end, StringBuilder out) {
    int room = MAX_LENGTH + 1 - out.length();
    if (room > 0) {
      out.append(s, start, Math.min(end, start + room));
    }
  }

  private static String bounded(StringBuilder out) {
    if (out.length() > MAX_LENGTH) {
      out.setLength(MAX_LENGTH);
    }
    return out.toString();
  }
}
