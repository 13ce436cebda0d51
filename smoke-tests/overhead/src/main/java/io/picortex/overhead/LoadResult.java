package io.picortex.overhead;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one load phase measured: requests completed (all answered 2xx unless counted in {@code
 * errors}), the wall time they took, and latency percentiles.
 */
record LoadResult(long requests, long errors, long elapsedNanos, double p50Micros, double p99Micros) {

  double requestsPerSecond() {
    return elapsedNanos <= 0 ? 0 : requests * 1e9 / elapsedNanos;
  }

  /** One line, for the Java load generator's stdout. */
  String toLine() {
    return "RESULT requests=" + requests + " errors=" + errors + " elapsedNanos=" + elapsedNanos
        + " p50Micros=" + p50Micros + " p99Micros=" + p99Micros;
  }

  static LoadResult parseLine(String line) {
    if (!line.startsWith("RESULT ")) {
      throw new IllegalArgumentException("not a RESULT line: " + line);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : line.substring(7).trim().split(" ")) {
      int eq = pair.indexOf('=');
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return new LoadResult(
        Long.parseLong(fields.get("requests")),
        Long.parseLong(fields.get("errors")),
        Long.parseLong(fields.get("elapsedNanos")),
        Double.parseDouble(fields.get("p50Micros")),
        Double.parseDouble(fields.get("p99Micros")));
  }
}
