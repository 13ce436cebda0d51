package io.picortex.overhead;

import java.util.Arrays;
import java.util.List;

/** The columns of the report, in order. */
enum Metric {
  STARTUP("Start-up s", 2,
      "wall time from starting `java` to the first 200 answer from the route under load"),
  LISTENING("To LISTENING s", 2,
      "wall time from starting `java` to the app printing `LISTENING <port>` (part of start-up)"),
  THROUGHPUT("Throughput req/s", 0,
      "requests answered per second under the fixed load (closed loop, fixed connections)"),
  P50("p50 ms", 2, "median latency under that load"),
  P99("p99 ms", 2, "99th percentile latency under that load"),
  CPU_PER_REQUEST("CPU ms/req", 3,
      "user + system CPU time of the service JVM (from /proc/<pid>/stat, children excluded)"
          + " during the measured load, divided by the requests answered"),
  JIT_CPU_PER_REQUEST("JIT ms/req", 3,
      "the part of CPU ms/req spent by the JIT compiler threads (C1 and C2, from"
          + " /proc/<pid>/task); while it is high, the run is still warming up and the other CPU"
          + " figures include compiling the code an agent added or made bigger"),
  ALLOCATION_PER_REQUEST("Alloc KB/req", 1,
      "heap KiB allocated during the measured load (from the JVM's GC log: heap growth between"
          + " collections, summed), divided by the requests answered"),
  HEAP_AFTER_GC("Heap after GC MB", 1,
      "heap used (MiB) right after a full GC (`jcmd GC.run`, then `GC.heap_info`), after the load"),
  METASPACE("Metaspace MB", 1, "metaspace used, MiB (same `GC.heap_info`)"),
  RSS("RSS MB", 0, "resident set size, MiB, of the service JVM after that GC (VmRSS in /proc/<pid>/status)"),
  CLASSES("Classes", 0,
      "classes loaded at that point, hidden classes included (total of `jcmd VM.classloader_stats`)"),
  AGENT_JAR("Agent jar MB", 1,
      "size of the -javaagent jar in MB of 10^6 bytes, as DESIGN.md quotes them (0 without an agent)"),

  // The split of CPU ms/req by thread group: in the report's "Where the added CPU goes" table,
  // not in the main table (JIT ms/req, a column there, is the compiler threads' part).
  REQUEST_THREADS_CPU("Request threads ms/req", 3,
      "the part of CPU ms/req spent by the application's request threads (`jdk-service-http-N`,"
          + " Tomcat's `http-nio-...`)", false),
  HTTP_CLIENT_CPU("HttpClient threads ms/req", 3,
      "the part spent by the JDK `HttpClient`'s threads (`HttpClient-N-Worker-N`,"
          + " `HttpClient-N-SelectorManager`): the application's outbound calls and our exporter's", false),
  EXPORT_CPU("Agent export threads ms/req", 3,
      "the part spent by an agent's own threads (ours: `picortex-...`; the OpenTelemetry agent's:"
          + " `BatchSpanProcessor...`, OkHttp's)", false),
  OTHER_CPU("Other threads ms/req", 3,
      "the rest: GC, the JDK's own threads, the process reaper, and threads that ended during the"
          + " window", false),
  BETWEEN_SLICES_CPU("Between slices ms/req", 3,
      "CPU the service JVM used between its own measured slices, while the other configurations"
          + " were under load (the JIT finishing its queue, exports of the last spans, GC), divided"
          + " by the requests it answered in its slices; not part of CPU ms/req", false);

  final String label;
  final int decimals;
  final String meaning;
  /** Shown as a column of the main table. */
  final boolean column;

  Metric(String label, int decimals, String meaning) {
    this(label, decimals, meaning, true);
  }

  Metric(String label, int decimals, String meaning, boolean column) {
    this.label = label;
    this.decimals = decimals;
    this.meaning = meaning;
    this.column = column;
  }

  /** The main table's columns, in order. */
  static List<Metric> columns() {
    return Arrays.stream(values()).filter(metric -> metric.column).toList();
  }

  /**
   * Which part of CPU ms/req a thread group (a name with digits as N, see {@code
   * JvmProbe.ThreadCpu.group}) belongs to: JIT, request threads, HttpClient, agent export, or other.
   */
  static Metric cpuPartOf(String group) {
    if (group.contains("CompilerThre")) {
      return JIT_CPU_PER_REQUEST;
    }
    if (group.startsWith("jdk-service-htt") || group.startsWith("http-nio")) {
      return REQUEST_THREADS_CPU;
    }
    if (group.startsWith("HttpClient-")) {
      return HTTP_CLIENT_CPU;
    }
    if (group.startsWith("picortex-") || group.startsWith("BatchSpanProces")
        || group.toLowerCase(java.util.Locale.ROOT).startsWith("okhttp")) {
      return EXPORT_CPU;
    }
    return OTHER_CPU;
  }
}
