package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  private static JvmProbe.ThreadCpu thread(String name, double millis) {
    return new JvmProbe.ThreadCpu(name, millis);
  }

  @Test
  void cpuIsSummedByThreadGroupAndWhatNoLiveThreadExplainsGoesToThreadsThatEnded() {
    Map<Long, JvmProbe.ThreadCpu> before = Map.of(
        1L, thread("C2 CompilerThread0", 100),
        2L, thread("C1 CompilerThread0", 50),
        3L, thread("http-nio-8080-exec-1", 10),
        9L, thread("short-lived-1", 5));
    Map<Long, JvmProbe.ThreadCpu> after = Map.of(
        1L, thread("C2 CompilerThread0", 130),
        2L, thread("C1 CompilerThread0", 60),
        3L, thread("http-nio-8080-exec-1", 15),
        4L, thread("http-nio-8080-exec-2", 7)); // started during the window
    Map<String, Double> groups = JvmProbe.cpuByGroup(before, after, 60);

    assertThat(groups).containsOnlyKeys(
        "CN CompilerThreadN", "http-nio-N-exec-N", "(threads that ended)");
    assertThat(groups.get("CN CompilerThreadN")).isEqualTo(40, within(1e-9));
    assertThat(groups.get("http-nio-N-exec-N")).isEqualTo(12, within(1e-9));
    assertThat(groups.get("(threads that ended)")).isEqualTo(8, within(1e-9));
  }

  @Test
  void threadGroupsAreSortedIntoTheCpuPartsOfTheReport() {
    // names as /proc gives them (15 characters at most), after group()
    Map<String, Metric> expected = Map.ofEntries(
        Map.entry("CN CompilerThre", Metric.JIT_CPU_PER_REQUEST),
        Map.entry("jdk-service-htt", Metric.REQUEST_THREADS_CPU),
        Map.entry("http-nio-N.N.", Metric.REQUEST_THREADS_CPU),
        Map.entry("HttpClient-N-Wo", Metric.HTTP_CLIENT_CPU),
        Map.entry("HttpClient-N-Se", Metric.HTTP_CLIENT_CPU),
        Map.entry("picortex-spans-", Metric.EXPORT_CPU),
        Map.entry("picortex-otlp-t", Metric.EXPORT_CPU),
        Map.entry("BatchSpanProces", Metric.EXPORT_CPU),
        Map.entry("okhttp-dispatch", Metric.EXPORT_CPU),
        Map.entry("OkHttp http://N", Metric.EXPORT_CPU),
        Map.entry("GC Thread#N", Metric.OTHER_CPU),
        Map.entry("process reaper", Metric.OTHER_CPU),
        Map.entry("(threads that ended)", Metric.OTHER_CPU));
    expected.forEach((group, part) -> assertThat(Metric.cpuPartOf(group)).as(group).isEqualTo(part));
  }

  @Test
  void theLiveThreadsOfAProcessAreReadWithTheirNames() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread probe = new Thread(() -> {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cpu-probe-test");
    probe.start();
    try {
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      JvmProbe probeOfThisJvm = new JvmProbe(Path.of("jcmd"), JvmProbe.clockTicksPerSecond());
      Map<Long, JvmProbe.ThreadCpu> threads = probeOfThisJvm.threadCpu(ProcessHandle.current().pid());
      assertThat(threads.values()).extracting(JvmProbe.ThreadCpu::name).contains("cpu-probe-test");
      assertThat(threads.values()).allSatisfy(t -> assertThat(t.millis()).isNotNegative());
    } finally {
      release.countDown();
      probe.join(30_000);
    }
  }
}
