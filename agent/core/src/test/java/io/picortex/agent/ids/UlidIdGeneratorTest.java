package io.picortex.agent.ids;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.Ulid;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UlidIdGeneratorTest {

  private final UlidIdGenerator generator = UlidIdGenerator.getInstance();

  @Test
  void traceIdsAre32LowercaseHexAndValid() {
    for (int i = 0; i < 1_000; i++) {
      String traceId = generator.generateTraceId();

      assertThat(traceId).hasSize(32).matches("[0-9a-f]{32}");
      assertThat(TraceId.isValid(traceId)).isTrue();
    }
  }

  @Test
  void first12HexCharactersOfATraceIdAreTheCurrentTimeInMilliseconds() {
    long before = System.currentTimeMillis();
    String traceId = generator.generateTraceId();
    long after = System.currentTimeMillis();

    long millis = Long.parseLong(traceId.substring(0, 12), 16);
    assertThat(millis).isBetween(before, after);
  }

  @Test
  void traceIdIsAUlidReadableByTheUlidLibrary() {
    long now = 1_717_171_717_171L;
    String traceId = UlidIdGenerator.traceIdAt(now);

    Ulid ulid =
        new Ulid(
            Long.parseUnsignedLong(traceId.substring(0, 16), 16),
            Long.parseUnsignedLong(traceId.substring(16), 16));
    assertThat(ulid.getTime()).isEqualTo(now);
  }

  @Test
  void traceIdsSortByTimeAcrossMilliseconds() {
    List<String> ids = new ArrayList<>();
    for (long millis = 1_700_000_000_000L; millis < 1_700_000_000_050L; millis++) {
      ids.add(UlidIdGenerator.traceIdAt(millis));
      ids.add(UlidIdGenerator.traceIdAt(millis));
    }

    for (int i = 2; i < ids.size(); i++) {
      // every id is greater than both ids of the previous millisecond
      assertThat(ids.get(i)).isGreaterThan(ids.get((i / 2) * 2 - 1));
      assertThat(ids.get(i)).isGreaterThan(ids.get((i / 2) * 2 - 2));
    }
  }

  @Test
  void traceIdsCarry80RandomBits() {
    Set<String> randomParts = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      randomParts.add(UlidIdGenerator.traceIdAt(1_700_000_000_000L).substring(12));
    }

    assertThat(randomParts).hasSize(1_000);
  }

  @Test
  void traceIdAtTheEpochIsStillValid() {
    assertThat(TraceId.isValid(UlidIdGenerator.traceIdAt(0))).isTrue();
  }

  @Test
  void spanIdsAre16LowercaseHexValidAndUnique() {
    Set<String> spanIds = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String spanId = generator.generateSpanId();

      assertThat(spanId).hasSize(16).matches("[0-9a-f]{16}");
      assertThat(SpanId.isValid(spanId)).isTrue();
      spanIds.add(spanId);
    }

    assertThat(spanIds).hasSize(10_000);
  }
}
