package io.picortex.agent.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;

/**
 * Reads and writes the W3C {@code tracestate} value: a comma-separated list of {@code key=value}
 * members.
 *
 * <p>A tracestate is all or nothing: one malformed member, a duplicated key, more than {@link
 * #MAX_MEMBERS} members or more than {@link #MAX_LENGTH} characters and the whole value is dropped.
 * Passing on part of a list another vendor wrote could mislead that vendor; dropping it only costs
 * them their state for this hop.
 */
final class TraceStateCodec {

  /** The specification's limit on list members. */
  static final int MAX_MEMBERS = 32;

  /**
   * Longest value accepted. The specification asks to propagate at least 512 characters and allows
   * discarding beyond that; we never hold more than this from a request.
   */
  static final int MAX_LENGTH = 512;

  private static final int MAX_KEY_LENGTH = 256;
  private static final int MAX_TENANT_LENGTH = 241;
  private static final int MAX_SYSTEM_LENGTH = 14;
  private static final int MAX_VALUE_LENGTH = 256;

  private TraceStateCodec() {}

  /**
   * The tracestate in {@code value}, or the empty {@link TraceState#getDefault()} when it is
   * absent, empty or invalid.
   */
  static TraceState parse(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return TraceState.getDefault();
    }
    // Member bounds, 3 ints each (key start, index of the =, value end), in header order.
    int[] bounds = null;
    int members = 0;
    int length = value.length();
    int segmentStart = 0;
    while (segmentStart <= length) {
      int comma = value.indexOf(',', segmentStart);
      int segmentEnd = comma < 0 ? length : comma;
      int start = segmentStart;
      int end = segmentEnd;
      while (start < end && TraceParent.isBlank(value.charAt(start))) {
        start++;
      }
      while (end > start && TraceParent.isBlank(value.charAt(end - 1))) {
        end--;
      }
      // Empty members are allowed (e.g. from joining several header lines) and do not count.
      if (start < end) {
        if (members == MAX_MEMBERS) {
          return TraceState.getDefault();
        }
        int equals = value.indexOf('=', start);
        if (equals < 0
            || equals >= end
            || !isValidKey(value, start, equals)
            || !isValidValue(value, equals + 1, end)) {
          return TraceState.getDefault();
        }
        if (bounds == null) {
          bounds = new int[MAX_MEMBERS * 3];
        }
        for (int m = 0; m < members; m++) {
          if (sameKey(value, bounds[m * 3], bounds[m * 3 + 1], start, equals)) {
            return TraceState.getDefault();
          }
        }
        bounds[members * 3] = start;
        bounds[members * 3 + 1] = equals;
        bounds[members * 3 + 2] = end;
        members++;
      }
      segmentStart = segmentEnd + 1;
    }
    if (members == 0) {
      return TraceState.getDefault();
    }
    // TraceStateBuilder.put places each new entry first, so add the members last to first.
    TraceStateBuilder builder = TraceState.builder();
    for (int m = members - 1; m >= 0; m--) {
      int equals = bounds[m * 3 + 1];
      builder.put(
          value.substring(bounds[m * 3], equals), value.substring(equals + 1, bounds[m * 3 + 2]));
    }
    return builder.build();
  }

  /** The header value for {@code traceState}, or {@code ""} when it is empty. */
  static String format(TraceState traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(64);
    traceState.forEach(
        (key, value) -> {
          if (out.length() > 0) {
            out.append(',');
          }
          out.append(key).append('=').append(value);
        });
    return out.toString();
  }

  /**
   * {@code simple-key = lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")}, or {@code
   * tenant-id "@" system-id} with a tenant of at most 241 characters starting with a letter or
   * digit and a system of at most 14 starting with a letter.
   */
  static boolean isValidKey(String s, int start, int end) {
    int length = end - start;
    if (length < 1 || length > MAX_KEY_LENGTH) {
      return false;
    }
    int at = -1;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '@') {
        if (at >= 0) {
          return false;
        }
        at = i;
      } else if (!isKeyChar(c)) {
        return false;
      }
    }
    if (at < 0) {
      return isLowerAlpha(s.charAt(start));
    }
    int tenantLength = at - start;
    int systemLength = end - at - 1;
    return tenantLength >= 1
        && tenantLength <= MAX_TENANT_LENGTH
        && systemLength >= 1
        && systemLength <= MAX_SYSTEM_LENGTH
        && (isLowerAlpha(s.charAt(start)) || isDigit(s.charAt(start)))
        && isLowerAlpha(s.charAt(at + 1));
  }

  /**
   * 1 to 256 printable ASCII characters other than {@code ','} and {@code '='}, the last not a
   * space.
   */
  static boolean isValidValue(String s, int start, int end) {
    int length = end - start;
    if (length < 1 || length > MAX_VALUE_LENGTH || s.charAt(end - 1) == ' ') {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean sameKey(String s, int aStart, int aEnd, int bStart, int bEnd) {
    return aEnd - aStart == bEnd - bStart && s.regionMatches(aStart, s, bStart, aEnd - aStart);
  }

  private static boolean isKeyChar(char c) {
    return isLowerAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
  }

  private static boolean isLowerAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
