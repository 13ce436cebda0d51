package io.picortex.agent.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pid and command line of this JVM, read from {@code /proc/self} where there is one. Asking
 * {@code ProcessHandle.current()} instead initialises the JDK's process-reaper thread pool, which
 * loads {@code ThreadPoolExecutor} during premain; that class is an instrumentation target, so it
 * would have to be retransformed, which means loading the weaver on the main thread at start-up.
 */
public final class ThisProcess {
  private ThisProcess() {}

  public static long pid() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().pid();
    }
  }

  /** The whole command line, JVM options included. */
  public static List<String> commandLine() {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
      List<String> args = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return args;
    } catch (IOException | RuntimeException e) {
      List<String> args = new ArrayList<>();
      ProcessHandle.current().info().arguments().ifPresent(a -> args.addAll(List.of(a)));
      return args;
    }
  }
}
