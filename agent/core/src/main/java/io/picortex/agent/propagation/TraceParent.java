package io.picortex.agent.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * Reads and writes the W3C {@code traceparent} value ({@code version-traceid-parentid-flags}).
 *
 * <p>The checks are a hand-written character loop rather than a regular expression: this runs for
 * every incoming request. Validation and extraction are split ({@link #isValid} then {@link
 * #toRemoteSpanContext}) so that the caller parses {@code tracestate} only for a valid {@code
 * traceparent}, as the specification requires.
 */
final class TraceParent {

  /** {@code 00-} + 32 + {@code -} + 16 + {@code -} + 2. */
  static final int VERSION_00_LENGTH = 55;

  /**
   * Longest value accepted at all. Future versions may append fields, but nothing legitimate needs
   * more than this; a longer value is treated as hostile and ignored.
   */
  static final int MAX_LENGTH = 512;

  private static final int TRACE_ID_OFFSET = 3;
  private static final int TRACE_ID_LENGTH = 32;
  private static final int SPAN_ID_OFFSET = TRACE_ID_OFFSET + TRACE_ID_LENGTH + 1; // 36
  private static final int SPAN_ID_LENGTH = 16;
  private static final int FLAGS_OFFSET = SPAN_ID_OFFSET + SPAN_ID_LENGTH + 1; // 53

  /**
   * Flag bits we pass on: sampled (0x01) and random (0x02, Trace Context level 2). The
   * specification asks to zero the bits it does not define rather than propagate them.
   */
  private static final int KNOWN_FLAGS_MASK = 0x03;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceParent() {}

  /**
   * Whether {@code value} is a {@code traceparent} we accept: version {@code 00} of exactly 55
   * characters, or a later version ({@code 01}..{@code fe}) whose first 55 characters are a valid
   * version-00 layout followed by the end of the value or a {@code '-'}. Spaces and tabs around the
   * value (HTTP optional white space) are ignored.
   */
  static boolean isValid(String value) {
    if (value == null) {
      return false;
    }
    int start = firstNonBlank(value);
    int end = lastNonBlank(value) + 1;
    int length = end - start;
    if (length < VERSION_00_LENGTH || length > MAX_LENGTH) {
      return false;
    }
    char v0 = value.charAt(start);
    char v1 = value.charAt(start + 1);
    if (!isLowerHex(v0) || !isLowerHex(v1) || (v0 == 'f' && v1 == 'f')) {
      return false;
    }
    boolean version00 = v0 == '0' && v1 == '0';
    if (version00
        ? length != VERSION_00_LENGTH
        : length > VERSION_00_LENGTH && value.charAt(start + VERSION_00_LENGTH) != '-') {
      return false;
    }
    return value.charAt(start + 2) == '-'
        && value.charAt(start + SPAN_ID_OFFSET - 1) == '-'
        && value.charAt(start + FLAGS_OFFSET - 1) == '-'
        && isNonZeroLowerHex(value, start + TRACE_ID_OFFSET, TRACE_ID_LENGTH)
        && isNonZeroLowerHex(value, start + SPAN_ID_OFFSET, SPAN_ID_LENGTH)
        && isLowerHex(value.charAt(start + FLAGS_OFFSET))
        && isLowerHex(value.charAt(start + FLAGS_OFFSET + 1));
  }

  /**
   * The remote parent described by {@code value}; only call this after {@link #isValid} returned
   * true for the same value.
   */
  static SpanContext toRemoteSpanContext(String value, TraceState traceState) {
    int start = firstNonBlank(value);
    String traceId =
        value.substring(start + TRACE_ID_OFFSET, start + TRACE_ID_OFFSET + TRACE_ID_LENGTH);
    String spanId =
        value.substring(start + SPAN_ID_OFFSET, start + SPAN_ID_OFFSET + SPAN_ID_LENGTH);
    int flags =
        (hexValue(value.charAt(start + FLAGS_OFFSET)) << 4)
            | hexValue(value.charAt(start + FLAGS_OFFSET + 1));
    return SpanContext.createFromRemoteParent(
        traceId, spanId, TraceFlags.fromByte((byte) (flags & KNOWN_FLAGS_MASK)), traceState);
  }

  /** {@code 00-<trace-id>-<span-id>-<flags>}; the caller checks that the context is valid. */
  static String format(SpanContext spanContext) {
    char[] out = new char[VERSION_00_LENGTH];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    spanContext.getTraceId().getChars(0, TRACE_ID_LENGTH, out, TRACE_ID_OFFSET);
    out[SPAN_ID_OFFSET - 1] = '-';
    spanContext.getSpanId().getChars(0, SPAN_ID_LENGTH, out, SPAN_ID_OFFSET);
    out[FLAGS_OFFSET - 1] = '-';
    int flags = spanContext.getTraceFlags().asByte() & 0xff;
    out[FLAGS_OFFSET] = HEX[flags >>> 4];
    out[FLAGS_OFFSET + 1] = HEX[flags & 0x0f];
    return new String(out);
  }

  private static boolean isNonZeroLowerHex(String value, int offset, int length) {
    boolean nonZero = false;
    for (int i = offset; i < offset + length; i++) {
      char c = value.charAt(i);
      if (!isLowerHex(c)) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }

  private static boolean isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  private static int hexValue(char c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
  }

  private static int firstNonBlank(String value) {
    int i = 0;
    while (i < value.length() && isBlank(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int lastNonBlank(String value) {
    int i = value.length() - 1;
    while (i >= 0 && isBlank(value.charAt(i))) {
      i--;
    }
    return i;
  }

  /** HTTP optional white space: space and horizontal tab. */
  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
