package io.picortex.agent.trace;

/**
 * Span timestamps: the wall clock read once and carried forward with {@link System#nanoTime}, so a
 * span's start costs one {@code nanoTime} call and no {@code Instant}, and its duration is exactly
 * the monotonic time between start and end even if the wall clock is stepped meanwhile. The anchor
 * is renewed every minute (on a start that finds it older), so NTP corrections reach new spans.
 */
final class SpanClock {
  private static final long RENEW_AFTER_NANOS = 60_000_000_000L;

  /** A wall-clock reading and the {@code nanoTime} it was taken at. */
  private record Anchor(long epochNanos, long nanoTime) {}

  private static volatile Anchor anchor = read();

  private SpanClock() {}

  /** Nanoseconds since the epoch for a {@link System#nanoTime} reading taken just now. */
  static long epochNanos(long nanoTime) {
    Anchor a = anchor;
    if (nanoTime - a.nanoTime > RENEW_AFTER_NANOS) {
      anchor = a = read();
    }
    return a.epochNanos + (nanoTime - a.nanoTime);
  }

  private static Anchor read() {
    java.time.Instant now = java.time.Instant.now();
    long nano = System.nanoTime();
    return new Anchor(now.getEpochSecond() * 1_000_000_000L + now.getNano(), nano);
  }
}
