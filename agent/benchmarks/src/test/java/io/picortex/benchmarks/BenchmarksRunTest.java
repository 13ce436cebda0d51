package io.picortex.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark still runs: each is run once, in this JVM, for a few milliseconds, and must
 * neither throw nor be missing from the results. What a benchmark measures is never asserted
 * (benchmarks are not tests; this JVM is neither forked nor warmed up).
 */
class BenchmarksRunTest {

  @Test
  void everyBenchmarkRunsWithoutErrorAndReportsAScore() throws RunnerException, Exception {
    Set<String> declared = declaredBenchmarks();
    assertThat(declared).as("benchmarks found in the compiled classes").hasSizeGreaterThan(20);

    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("io\\.picortex\\.benchmarks\\..*")
                    .forks(0)
                    .threads(1)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(20))
                    .timeUnit(TimeUnit.NANOSECONDS)
                    .shouldFailOnError(true)
                    .build())
            .run();

    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      ran.add(result.getParams().getBenchmark());
      double score = result.getPrimaryResult().getScore();
      assertThat(score)
          .as("score of %s %s", result.getParams().getBenchmark(), result.getParams())
          .isPositive()
          .isFinite();
    }
    assertThat(ran).isEqualTo(declared);
  }

  /** The {@code @Benchmark} methods of the classes compiled into this module. */
  private static Set<String> declaredBenchmarks() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes =
        Path.of(BaselineBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = classes.resolve("io/picortex/benchmarks");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("$")) {
          continue;
        }
        Class<?> type = Class.forName("io.picortex.benchmarks." + name.substring(0, name.length() - 6));
        for (Method method : type.getDeclaredMethods()) {
          if (method.isAnnotationPresent(Benchmark.class)) {
            names.add(type.getName() + "." + method.getName());
          }
        }
      }
    }
    return names;
  }
}
