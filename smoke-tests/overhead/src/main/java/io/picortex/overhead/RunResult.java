package io.picortex.overhead;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One service in one configuration in one round: its figures, or why it has none. */
record RunResult(
    int round,
    String service,
    String config,
    Map<Metric, Double> values,
    long requests,
    long errors,
    long otlpRequests,
    long otlpBytes,
    String failure) {

  RunResult {
    values = Collections.unmodifiableMap(values.isEmpty() ? new EnumMap<>(Metric.class) : new EnumMap<>(values));
  }

  boolean ok() {
    return failure == null;
  }

  /** Not run because of the time limit (not a failure of the service or the harness). */
  boolean skipped() {
    return failure != null && failure.startsWith("skipped:");
  }

  static RunResult failed(int round, String service, String config, Map<Metric, Double> partial,
      String failure) {
    return new RunResult(round, service, config, partial, 0, 0, 0, 0, failure);
  }
}
