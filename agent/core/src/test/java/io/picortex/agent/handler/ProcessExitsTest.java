package io.picortex.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs with java.lang opened, as the agent has it (see the surefire argLine). */
class ProcessExitsTest {

  private record Ended(Integer code, String thread) {}

  private static Ended await(Process process) throws Exception {
    CompletableFuture<Ended> ended = new CompletableFuture<>();
    ProcessExits.whenEnded(
        process, code -> ended.complete(new Ended(code, Thread.currentThread().getName())));
    return ended.get(20, TimeUnit.SECONDS);
  }

  @Test
  void theExitCodeComesFromTheJdksReaperThreadNotANewThread() throws Exception {
    assertThat(ProcessExits.fromReaper()).isTrue();
    Process process = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 3").start();
    Ended ended = await(process);
    assertThat(ended.code()).isEqualTo(3);
    assertThat(ended.thread()).startsWith("process reaper"); // JDK 17 adds " (pid N)" while waiting
    assertThat(process.waitFor()).isEqualTo(3);
  }

  @Test
  void aProcessThatHasAlreadyEndedIsReportedAtOnce() throws Exception {
    Process process = new ProcessBuilder("sh", "-c", "exit 5").start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    Ended ended = await(process);
    assertThat(ended.code()).isEqualTo(5);
    assertThat(ended.thread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void aKilledProcessReportsTheSameCodeAsProcessExitValue() throws Exception {
    Process process = new ProcessBuilder("sleep", "30").start();
    CompletableFuture<Integer> code = new CompletableFuture<>();
    ProcessExits.whenEnded(process, code::complete);
    process.destroyForcibly();
    assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(process.waitFor());
  }
}
