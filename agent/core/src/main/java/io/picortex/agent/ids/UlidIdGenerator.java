package io.picortex.agent.ids;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace IDs that are ULIDs, span IDs that are random.
 *
 * <p>A trace ID is the 128 bits of a ULID: 48 bits of Unix time in milliseconds followed by 80
 * random bits, written as 32 lowercase hex characters. It is a valid W3C trace ID whose right-most
 * 7 bytes are random (what Trace Context level 2 asks of a "random" trace ID), it sorts by the time
 * the trace started, and its first 12 hex characters tell that time, which helps when reading logs.
 * The bits are composed here directly rather than through a {@code Ulid} object: same layout, one
 * allocation less per trace.
 *
 * <p>{@link ThreadLocalRandom} is enough: IDs must be unique, not secret, and it never contends.
 */
public final class UlidIdGenerator implements IdGenerator {

  private static final UlidIdGenerator INSTANCE = new UlidIdGenerator();

  /** Mask of the 16 random bits that share the most significant long with the timestamp. */
  private static final long LOW_16_BITS = 0xffffL;

  private UlidIdGenerator() {}

  /** The stateless, shared instance. */
  public static UlidIdGenerator getInstance() {
    return INSTANCE;
  }

  @Override
  public String generateTraceId() {
    return traceIdAt(System.currentTimeMillis());
  }

  /**
   * A ULID trace ID for the given time in milliseconds since the epoch (only the low 48 bits are
   * used, which last until the year 10889). Visible for tests.
   */
  static String traceIdAt(long epochMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (epochMillis << 16) | (random.nextLong() & LOW_16_BITS);
    long low = random.nextLong();
    if (high == 0 && low == 0) {
      // Only reachable for a clock at the epoch; an all-zero trace ID is invalid.
      low = 1;
    }
    return TraceId.fromLongs(high, low);
  }

  @Override
  public String generateSpanId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0); // zero is the invalid span ID
    return SpanId.fromLong(id);
  }

  @Override
  public String toString() {
    return "UlidIdGenerator";
  }
}
