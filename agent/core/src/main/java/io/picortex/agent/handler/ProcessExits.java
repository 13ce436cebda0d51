package io.picortex.agent.handler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Tells when a child process ends, without a thread of our own. {@code Process.onExit()} hops to
 * an executor ({@code handleAsync}); with fewer than three cores that executor starts a new thread
 * for every call, so one traced process start cost one thread start. The JDK's own reaper already
 * waits for every child: {@code ProcessHandleImpl.completion(pid, false)} is the future it
 * completes with the exit status, and a callback on it runs on that reaper thread. The agent may
 * call it because {@code java.lang} is opened to it (see {@code BridgeDefiner}); where it is not
 * (tests, an unusual JDK) {@code onExit()} is used as before.
 */
final class ProcessExits {
  private static final MethodHandle COMPLETION = completionHandle();

  private ProcessExits() {}

  /** Whether exits are taken from the JDK's reaper (no thread per process). */
  static boolean fromReaper() {
    return COMPLETION != null;
  }

  /** Calls {@code then} once with the exit code (null if unknown) when {@code process} ends. */
  static void whenEnded(Process process, Consumer<Integer> then) {
    if (COMPLETION != null && process.getClass().getName().equals("java.lang.ProcessImpl")) {
      if (!process.isAlive()) {
        then.accept(process.exitValue());
        return;
      }
      try {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer> exit =
            (CompletableFuture<Integer>) COMPLETION.invokeExact(process.pid(), false);
        exit.whenComplete((code, error) -> then.accept(code));
        return;
      } catch (Throwable e) {
        // fall through to the public way
      }
    }
    process.onExit().whenComplete((p, error) -> then.accept(p == null ? null : p.exitValue()));
  }

  private static MethodHandle completionHandle() {
    try {
      Class<?> impl = Class.forName("java.lang.ProcessHandleImpl");
      MethodHandle handle =
          MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
              .findStatic(impl, "completion",
                  MethodType.methodType(CompletableFuture.class, long.class, boolean.class));
      return handle;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
