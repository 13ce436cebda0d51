package io.picortex.benchmarks;

import io.opentelemetry.sdk.trace.IdGenerator;
import io.picortex.agent.ids.RequestIdPolicy;
import io.picortex.agent.ids.UlidIdGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (3) Request IDs ({@link RequestIdPolicy}) and the trace and span IDs of {@link UlidIdGenerator},
 * next to the SDK's own random generator for comparison.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RequestIdBenchmark {
  // Fields, not constants, so the JIT cannot fold the checks away.
  String ulid = "01J9ZQ3M4X8V5K2N7P6R1T0WYB";
  String uuid = "3f2b8c1e-9d4a-4e7b-8a6f-1c2d3e4f5a6b";
  String headerInjection = "abc123\r\nSet-Cookie: session=evil";
  String tooLong = "a".repeat(200);
  String absent = null;

  private final UlidIdGenerator ulidIds = UlidIdGenerator.getInstance();
  private final IdGenerator randomIds = IdGenerator.random();

  @Benchmark
  public String newRequestId() {
    return RequestIdPolicy.newRequestId();
  }

  @Benchmark
  public boolean isValid_ulid() {
    return RequestIdPolicy.isValid(ulid);
  }

  @Benchmark
  public boolean isValid_uuid() {
    return RequestIdPolicy.isValid(uuid);
  }

  @Benchmark
  public boolean isValid_crlfInjection() {
    return RequestIdPolicy.isValid(headerInjection);
  }

  @Benchmark
  public boolean isValid_tooLong() {
    return RequestIdPolicy.isValid(tooLong);
  }

  @Benchmark
  public String acceptOrMint_valid() {
    return RequestIdPolicy.acceptOrMint(uuid);
  }

  @Benchmark
  public String acceptOrMint_invalid() {
    return RequestIdPolicy.acceptOrMint(headerInjection);
  }

  @Benchmark
  public String acceptOrMint_absent() {
    return RequestIdPolicy.acceptOrMint(absent);
  }

  @Benchmark
  public String ulidTraceId() {
    return ulidIds.generateTraceId();
  }

  @Benchmark
  public String ulidSpanId() {
    return ulidIds.generateSpanId();
  }

  @Benchmark
  public String sdkRandomTraceId() {
    return randomIds.generateTraceId();
  }
}
