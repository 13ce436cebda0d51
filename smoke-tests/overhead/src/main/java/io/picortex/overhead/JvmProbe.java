package io.picortex.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at a running service JVM from outside, without an agent: /proc for CPU time and RSS,
 * {@code jcmd} for a full GC, heap, metaspace and loaded classes, and the JVM's own GC log
 * ({@code -Xlog:gc+heap=debug}) for the bytes allocated between two points in time.
 */
final class JvmProbe {

  private static final Pattern USED = Pattern.compile("\\bused (\\d+)([KMG])\\b");
  private static final Pattern CLASSLOADER_TOTAL =
      Pattern.compile("(?m)^Total = \\d+\\s+(\\d+)\\s");
  private static final Pattern GC_ID = Pattern.compile("\\bGC\\((\\d+)\\)");
  private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);

  private final Path jcmd;
  private final long clockTicksPerSecond;

  JvmProbe(Path jcmd, long clockTicksPerSecond) {
    this.jcmd = jcmd;
    this.clockTicksPerSecond = clockTicksPerSecond;
  }

  static long clockTicksPerSecond() {
    try {
      Processes.Output out = Processes.run(List.of("getconf", "CLK_TCK"), Duration.ofSeconds(10));
      return Long.parseLong(out.text().trim());
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }

  /** User + system CPU time of the process itself (not of its children), in milliseconds. */
  double cpuMillis(long pid) throws IOException {
    return cpuMillisOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /** utime + stime of a {@code /proc/.../stat} line (a process's or a thread's), in milliseconds. */
  private double cpuMillisOf(String stat) {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000.0 / clockTicksPerSecond;
  }

  /**
   * CPU milliseconds (user + system) of each live thread of the process, keyed by thread id, with
   * the thread's name; a thread that ends between two calls is simply missing from the second.
   */
  Map<Long, ThreadCpu> threadCpu(long pid) {
    Map<Long, ThreadCpu> threads = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          threads.put(Long.parseLong(task.getFileName().toString()),
              new ThreadCpu(name, cpuMillisOf(stat)));
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      // the process ended: no threads
    }
    return threads;
  }

  record ThreadCpu(String name, double millis) {

    /** Threads of one pool share a group: digits become N ("C2 CompilerThread0" → "CN CompilerThreadN"). */
    String group() {
      return name.replaceAll("\\d+", "N");
    }
  }

  /**
   * CPU ms of each thread group between two {@link #threadCpu} snapshots, plus "(threads that
   * ended)": the process's own CPU growth that no live thread accounts for.
   */
  static Map<String, Double> cpuByGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after,
      double processCpuMillis) {
    Map<String, Double> groups = new TreeMap<>();
    double live = 0;
    for (Map.Entry<Long, ThreadCpu> thread : after.entrySet()) {
      ThreadCpu start = before.get(thread.getKey());
      double used = thread.getValue().millis() - (start == null ? 0 : start.millis());
      groups.merge(thread.getValue().group(), used, Double::sum);
      live += used;
    }
    groups.put("(threads that ended)", Math.max(0, processCpuMillis - live));
    return groups;
  }

  /** VmRSS from /proc/&lt;pid&gt;/status, in KiB. */
  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  /** Runs jcmd commands (in order, one attach) on the JVM; their combined output. */
  String jcmd(long pid, Path workDirectory, String... commands) throws IOException {
    Path file = workDirectory.resolve("jcmd-" + System.nanoTime() + ".txt");
    Files.writeString(file, String.join("\n", commands) + "\n");
    try {
      Processes.Output out =
          Processes.run(
              List.of(jcmd.toString(), Long.toString(pid), "-f", file.toString()), JCMD_TIMEOUT);
      if (out.exitCode() != 0) {
        throw new IOException("jcmd " + String.join(", ", commands) + " exited " + out.exitCode()
            + ": " + out.text().strip());
      }
      return out.text();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Heap and metaspace used, in KiB, as printed by GC.heap_info (or a heap print in a GC log). */
  record HeapUse(long heapUsedKb, long metaspaceUsedKb) {}

  /**
   * Parses a heap print: the "used" figures of the heap lines before the Metaspace line (one line
   * for G1 and ZGC, young + old for Serial and Parallel), then the Metaspace line's.
   */
  static HeapUse parseHeapInfo(List<String> lines) {
    long heap = 0;
    long metaspace = -1;
    for (String line : lines) {
      Matcher used = USED.matcher(line);
      if (line.contains("Metaspace")) {
        if (used.find()) {
          metaspace = kb(used);
        }
        break;
      }
      if (used.find() && !line.contains("class space")) {
        heap += kb(used);
      }
    }
    return new HeapUse(heap, metaspace);
  }

  static HeapUse parseHeapInfo(String text) {
    return parseHeapInfo(text.lines().toList());
  }

  /** Classes loaded, hidden ones included: the total of VM.classloader_stats; -1 if absent. */
  static long loadedClasses(String classLoaderStats) {
    Matcher total = CLASSLOADER_TOTAL.matcher(classLoaderStats);
    return total.find() ? Long.parseLong(total.group(1)) : -1;
  }

  /** One collection in the GC log: heap used before and after it, in KiB (-1 if not logged yet). */
  record GcEvent(int id, long beforeKb, long afterKb) {}

  /** The collections in a {@code -Xlog:gc+heap=debug} log, in order. */
  static List<GcEvent> parseGcLog(List<String> lines) {
    Map<Integer, long[]> byId = new LinkedHashMap<>();
    Integer current = null;
    boolean before = false;
    List<String> block = new ArrayList<>();
    for (String line : lines) {
      Matcher id = GC_ID.matcher(line);
      if (!id.find()) {
        continue;
      }
      int gc = Integer.parseInt(id.group(1));
      if (line.contains("Heap before GC invocations=") || line.contains("Heap after GC invocations=")) {
        flush(byId, current, before, block);
        current = gc;
        before = line.contains("Heap before GC");
        block.clear();
      } else if (current != null && current == gc) {
        block.add(line);
        if (line.contains("Metaspace")) {
          flush(byId, current, before, block);
          current = null;
          block.clear();
        }
      }
    }
    flush(byId, current, before, block);
    List<GcEvent> events = new ArrayList<>();
    byId.forEach((gc, kb) -> events.add(new GcEvent(gc, kb[0], kb[1])));
    return events;
  }

  private static void flush(Map<Integer, long[]> byId, Integer gc, boolean before, List<String> block) {
    if (gc == null || block.stream().noneMatch(l -> l.contains("Metaspace"))) {
      return;
    }
    long used = parseHeapInfo(block).heapUsedKb();
    long[] kb = byId.computeIfAbsent(gc, k -> new long[] {-1, -1});
    kb[before ? 0 : 1] = used;
  }

  static List<GcEvent> readGcLog(Path log) throws IOException {
    try {
      return parseGcLog(Files.readAllLines(log, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /**
   * Bytes allocated after a point where the heap held {@code usedAtStartKb} and the last finished
   * collection was {@code lastGcAtStart}, up to the start of the last collection in {@code events}
   * (the harness makes that one with GC.run): the growth of the heap between collections, summed.
   * Returns -1 when the log does not cover the window.
   */
  static long allocatedKb(List<GcEvent> events, int lastGcAtStart, long usedAtStartKb) {
    long allocated = 0;
    long previousAfter = usedAtStartKb;
    boolean any = false;
    for (GcEvent event : events) {
      if (event.id() <= lastGcAtStart) {
        continue;
      }
      if (event.beforeKb() < 0) {
        return -1;
      }
      allocated += Math.max(0, event.beforeKb() - previousAfter);
      previousAfter = event.afterKb();
      any = true;
      if (event.afterKb() < 0) {
        break;
      }
    }
    return any ? allocated : -1;
  }

  /** The id of the last collection that has finished (its "after" is logged), or -1. */
  static int lastFinishedGc(List<GcEvent> events) {
    int last = -1;
    for (GcEvent event : events) {
      if (event.afterKb() >= 0) {
        last = Math.max(last, event.id());
      }
    }
    return last;
  }

  private static long kb(Matcher used) {
    long value = Long.parseLong(used.group(1));
    return switch (used.group(2)) {
      case "M" -> value * 1024;
      case "G" -> value * 1024 * 1024;
      default -> value;
    };
  }
}
