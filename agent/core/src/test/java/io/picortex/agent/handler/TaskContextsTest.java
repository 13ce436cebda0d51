package io.picortex.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskContextsTest {
  private static final ContextKey<String> REQUEST = ContextKey.named("request");

  private final TaskContexts contexts = new TaskContexts();
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void nothingLeftOnTheTestThread() throws Exception {
    assertThat(Context.current()).isSameAs(Context.root());
    worker.shutdownNow();
    assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static Context request(String id) {
    return Context.root().with(REQUEST, id);
  }

  /** What a pool thread does around a task, as the woven beforeExecute/afterExecute do. */
  private String runOnWorker(Object task) throws Exception {
    return worker.submit(() -> {
      contexts.beforeExecute(task);
      try {
        return Context.current().get(REQUEST);
      } finally {
        contexts.afterExecute();
      }
    }).get(5, TimeUnit.SECONDS);
  }

  private String currentOnWorker() throws Exception {
    return worker.submit(() -> Context.current().get(REQUEST)).get(5, TimeUnit.SECONDS);
  }

  @Test
  void theSubmittersContextIsCurrentWhileTheTaskRunsOnAnotherThread() throws Exception {
    Object task = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(task);
    }

    assertThat(runOnWorker(task)).isEqualTo("r1");
    assertThat(contexts.pending()).isZero();
  }

  @Test
  void nothingIsLeftCurrentOnThePoolThreadAfterTheTask() throws Exception {
    Object task = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(task);
    }

    runOnWorker(task);

    assertThat(currentOnWorker()).isNull();
  }

  @Test
  void aScopeTheTaskLeftOpenDoesNotStayOnThePoolThread() throws Exception {
    Object task = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(task);
    }

    worker.submit(() -> {
      contexts.beforeExecute(task);
      request("leaked").makeCurrent(); // never closed
      contexts.afterExecute();
    }).get(5, TimeUnit.SECONDS);

    assertThat(currentOnWorker()).isNull();
  }

  @Test
  void aPoolThreadsOwnContextIsPutBackAfterTheTask() throws Exception {
    Object task = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(task);
    }
    AtomicReference<String> during = new AtomicReference<>();
    AtomicReference<String> after = new AtomicReference<>();

    worker.submit(() -> {
      try (Scope own = request("worker").makeCurrent()) {
        Object restored = contexts.enter(task);
        try {
          during.set(Context.current().get(REQUEST));
        } finally {
          TaskContexts.close(restored);
        }
        after.set(Context.current().get(REQUEST));
      }
    }).get(5, TimeUnit.SECONDS);

    assertThat(during.get()).isEqualTo("r1");
    assertThat(after.get()).isEqualTo("worker");
  }

  @Test
  void aSkippedAfterExecuteIsRepairedByTheNextTask() throws Exception {
    Object first = new Object();
    Object second = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(first);
    }

    // an afterExecute override that does not call super: only beforeExecute reaches us
    worker.submit(() -> contexts.beforeExecute(first)).get(5, TimeUnit.SECONDS);

    assertThat(runOnWorker(second)).as("an untraced task after it").isNull();
    assertThat(currentOnWorker()).isNull();
  }

  @Test
  void aTaskRunOnTheSubmittingThreadKeepsTheCallersContext() {
    Object task = new Object();
    try (Scope caller = request("caller").makeCurrent()) {
      contexts.capture(task);
      // CallerRunsPolicy, or a ForkJoinTask run inline while joining
      Object restored = contexts.enter(task);
      try {
        assertThat(Context.current().get(REQUEST)).isEqualTo("caller");
      } finally {
        TaskContexts.close(restored);
      }
      assertThat(Context.current().get(REQUEST)).isEqualTo("caller");
    }
  }

  @Test
  void untracedCodeStoresNothing() {
    Object task = new Object();

    contexts.capture(task);

    assertThat(contexts.pending()).isZero();
    assertThat(contexts.enter(task)).isNull();
    assertThat(TaskContexts.toCarry()).isNull();
  }

  @Test
  void aContextIsRestoredOnceAndAForgottenOneNever() {
    Object ran = new Object();
    Object rejected = new Object();
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(ran);
      contexts.capture(rejected);
    }

    contexts.forget(rejected);
    Context first = contexts.take(ran);

    assertThat(first.get(REQUEST)).isEqualTo("r1");
    assertThat(contexts.take(ran)).isNull();
    assertThat(contexts.take(rejected)).isNull();
  }

  @Test
  void tasksAreKeyedByIdentityNotByEquals() {
    Object a = new EqualToEverything();
    Object b = new EqualToEverything();
    try (Scope ignored = request("a").makeCurrent()) {
      contexts.capture(a);
    }
    try (Scope ignored = request("b").makeCurrent()) {
      contexts.capture(b);
    }

    assertThat(contexts.take(b).get(REQUEST)).isEqualTo("b");
    assertThat(contexts.take(a).get(REQUEST)).isEqualTo("a");
  }

  @Test
  void oneTaskObjectQueuedFromTwoContextsCarriesNeitherRatherThanTheWrongOne() {
    Runnable shared = () -> {}; // captures nothing: one instance for every submission
    try (Scope ignored = request("a").makeCurrent()) {
      contexts.capture(shared);
    }
    try (Scope ignored = request("b").makeCurrent()) {
      contexts.capture(shared);
    }

    assertThat(contexts.take(shared)).isNull();
    assertThat(contexts.take(shared)).isNull();
    assertThat(contexts.pending()).isZero();
  }

  @Test
  void oneTaskObjectCapturedTwiceInTheSameContextKeepsIt() {
    Object task = new Object();
    try (Scope ignored = request("a").makeCurrent()) {
      contexts.capture(task);
      contexts.capture(task);
    }

    assertThat(contexts.take(task).get(REQUEST)).isEqualTo("a");
  }

  @Test
  void aTaskThatNeverRunsDoesNotKeepItsEntry() throws Exception {
    try (Scope ignored = request("r1").makeCurrent()) {
      contexts.capture(new Object());
    }
    assertThat(contexts.pending()).isEqualTo(1);

    for (int i = 0; i < 50 && contexts.pending() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }

    assertThat(contexts.pending()).isZero();
  }

  @Test
  void theMapIsBoundedAndCountsWhatItDrops() {
    TaskContexts small = new TaskContexts(2);
    Object[] tasks = {new Object(), new Object(), new Object()};
    try (Scope ignored = request("r1").makeCurrent()) {
      for (Object t : tasks) {
        small.capture(t);
      }
    }

    assertThat(small.pending()).isEqualTo(2);
    assertThat(small.dropped()).isEqualTo(1);
    assertThat(small.take(tasks[2])).isNull();
  }

  @Test
  void aWrappedRunnableRunsInTheContextAndPutsThePreviousBack() throws Exception {
    AtomicReference<String> during = new AtomicReference<>();
    Runnable task = () -> during.set(Context.current().get(REQUEST));

    assertThat(TaskContexts.wrap(task, null)).isSameAs(task);
    Runnable wrapped = TaskContexts.wrap(task, request("r1"));
    worker.submit(wrapped).get(5, TimeUnit.SECONDS);

    assertThat(during.get()).isEqualTo("r1");
    assertThat(currentOnWorker()).isNull();
  }

  @Test
  void manyThreadsCaptureAndRestoreConcurrently() throws Exception {
    ExecutorService submitters = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] results = new Future<?>[4];
      for (int s = 0; s < results.length; s++) {
        String id = "r" + s;
        results[s] = submitters.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            Object task = new Object();
            try (Scope ignored = request(id).makeCurrent()) {
              contexts.capture(task);
            }
            Object restored = contexts.enter(task);
            try {
              assertThat(Context.current().get(REQUEST)).isEqualTo(id);
            } finally {
              TaskContexts.close(restored);
            }
            assertThat(Context.current()).isSameAs(Context.root());
          }
          return null;
        });
      }
      for (Future<?> f : results) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      submitters.shutdownNow();
    }
    assertThat(contexts.pending()).isZero();
  }

  private static final class EqualToEverything {
    @Override
    public boolean equals(Object o) {
      return true;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }
}
