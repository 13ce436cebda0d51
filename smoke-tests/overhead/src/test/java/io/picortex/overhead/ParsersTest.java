package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsers of jcmd, GC log and wrk output, on captured samples (no processes). */
class ParsersTest {

  @Test
  void heapInfoOfG1() {
    String text = """
        2947:
        Command executed successfully
         garbage-first heap   total 57344K, used 8897K [0x0000000687400000, 0x0000000800000000)
          region size 4096K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 13397K, committed 13696K, reserved 1114112K
          class space    used 1454K, committed 1600K, reserved 1048576K
        """;
    assertThat(JvmProbe.parseHeapInfo(text)).isEqualTo(new JvmProbe.HeapUse(8897, 13397));
  }

  @Test
  void heapInfoOfParallelSumsTheGenerations() {
    String text = """
         PSYoungGen      total 76288K, used 3932K [0x000000076b500000, 0x0000000770a00000)
          eden space 65536K, 6% used [0x000000076b500000,0x000000076b8d7380,0x000000076f500000)
         ParOldGen       total 175104K, used 1000K [0x00000006c1e00000, 0x00000006cc900000)
         Metaspace       used 2M, committed 3M, reserved 1056768K
        """;
    assertThat(JvmProbe.parseHeapInfo(text)).isEqualTo(new JvmProbe.HeapUse(4932, 2048));
  }

  @Test
  void allocationFromTheGcLog() {
    List<String> log = """
        [0.006s][debug][gc,heap] Minimum heap 8388608  Initial heap 398458880  Maximum heap 6320816128
        [1.697s][debug][gc,heap] GC(0) Heap before GC invocations=0 (full 0):
        [1.698s][debug][gc,heap] GC(0)  garbage-first heap   total 397312K, used 20000K [0x0, 0x0)
        [1.698s][debug][gc,heap] GC(0)   region size 4096K, 4 young (16384K), 0 survivors (0K)
        [1.698s][debug][gc,heap] GC(0)  Metaspace       used 8214K, committed 8384K, reserved 1114112K
        [1.698s][debug][gc,heap] GC(0)   class space    used 846K, committed 960K, reserved 1048576K
        [1.818s][info ][gc,heap] GC(0) Eden regions: 4->0(3)
        [1.818s][debug][gc,heap] GC(0) Heap after GC invocations=1 (full 0):
        [1.818s][debug][gc,heap] GC(0)  garbage-first heap   total 397312K, used 7000K [0x0, 0x0)
        [1.818s][debug][gc,heap] GC(0)  Metaspace       used 8214K, committed 8384K, reserved 1114112K
        [2.000s][debug][gc,heap] GC(1) Heap before GC invocations=1 (full 0):
        [2.000s][debug][gc,heap] GC(1)  garbage-first heap   total 397312K, used 30000K [0x0, 0x0)
        [2.000s][debug][gc,heap] GC(1)  Metaspace       used 8214K, committed 8384K, reserved 1114112K
        [2.010s][debug][gc,heap] GC(1) Heap after GC invocations=2 (full 0):
        [2.010s][debug][gc,heap] GC(1)  garbage-first heap   total 397312K, used 8000K [0x0, 0x0)
        [2.010s][debug][gc,heap] GC(1)  Metaspace       used 8214K, committed 8384K, reserved 1114112K
        [3.199s][debug][gc,heap] GC(2) Heap before GC invocations=2 (full 0):
        [3.199s][debug][gc,heap] GC(2)  garbage-first heap   total 397312K, used 15000K [0x0, 0x0)
        [3.199s][debug][gc,heap] GC(2)  Metaspace       used 13397K, committed 13696K, reserved 1114112K
        """.lines().toList();
    List<JvmProbe.GcEvent> events = JvmProbe.parseGcLog(log);
    assertThat(events).containsExactly(
        new JvmProbe.GcEvent(0, 20000, 7000),
        new JvmProbe.GcEvent(1, 30000, 8000),
        new JvmProbe.GcEvent(2, 15000, -1));
    assertThat(JvmProbe.lastFinishedGc(events)).isEqualTo(1);
    // Window opened after GC(0) with 10000K used: (30000 - 10000) + (15000 - 8000).
    assertThat(JvmProbe.allocatedKb(events, 0, 10000)).isEqualTo(27000);
    // Nothing logged after the window opened: not covered.
    assertThat(JvmProbe.allocatedKb(events, 2, 10000)).isEqualTo(-1);
  }

  @Test
  void loadedClassesFromClassLoaderStats() {
    String text = """
        0x00007fb76f07d1e8  0x0000000000000000  0x00007fb7ec0e3890     178    112640    111620  jdk.internal.loader.ClassLoaders$PlatformClassLoader
        Total = 8                                                     2813   1430400   1364973
        ChunkSz: Total size of all allocated metaspace chunks
        """;
    assertThat(JvmProbe.loadedClasses(text)).isEqualTo(2813);
    assertThat(JvmProbe.loadedClasses("nothing")).isEqualTo(-1);
  }

  @Test
  void wrkOutput() throws Exception {
    String text = """
        Running 5s test @ http://127.0.0.1:40000/api/hello
          2 threads and 8 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     3.21ms    1.02ms  20.01ms   80.00%
            Req/Sec     1.25k   100.00     1.50k    70.00%
          Latency Distribution
             50%  850.00us
             75%    3.50ms
             90%    4.20ms
             99%    1.20s
          12500 requests in 5.00s, 2.00MB read
          Socket errors: connect 0, read 1, write 0, timeout 2
          Non-2xx or 3xx responses: 3
        Requests/sec:   2499.00
        Transfer/sec:    400.00KB
        """;
    LoadResult result = Load.Wrk.parse(text);
    assertThat(result).isEqualTo(new LoadResult(12497, 6, 5_000_000_000L, 850.0, 1_200_000.0));
  }

  @Test
  void loadResultLineRoundTrips() {
    LoadResult result = new LoadResult(1000, 2, 3_000_000_000L, 1234.5, 9876.0);
    assertThat(LoadResult.parseLine(result.toLine())).isEqualTo(result);
    assertThat(result.requestsPerSecond()).isEqualTo(1000 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void percentileIsNearestRank() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(LoadGenerator.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(LoadGenerator.percentile(sorted, 0.99)).isEqualTo(10);
    assertThat(LoadGenerator.percentile(new long[0], 0.5)).isZero();
  }
}
