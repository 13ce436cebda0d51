package io.picortex.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weaves {@link Fixture} with {@link RecordingBridge} standing in for the boot bridge, defines the
 * result in a fresh class loader (so the JVM verifies every frame written) and runs it.
 */
class AdviceWeaverTest {
  private static final AdviceWeaver WEAVER =
      new AdviceWeaver("io/picortex/agent/install/RecordingBridge");
  private static final Advice AROUND =
      Advice.onEnter(Advice.THIS, Advice.argument(0)).onExit(Advice.THIS, Advice.RETURNED);

  @BeforeEach
  void reset() {
    RecordingBridge.reset();
  }

  @Test
  void enterAndExitSeeThisTheArgumentAndTheResult() throws Exception {
    Object fixture = woven(rule(Methods.named("greet"), AROUND, 7));
    assertThat(call(fixture, "greet", "bob")).isEqualTo("hello bob");
    assertThat(RecordingBridge.CALLS)
        .containsExactly("enter 7 this String:bob", "exit 7 state this String:hello bob -");
  }

  @Test
  void everyReturnPathOfABranchyMethodReachesExitWithItsValue() throws Exception {
    Object fixture = woven(rule(Methods.named("classify"),
        Advice.onEnter(Advice.THIS, Advice.argument(1)).onExit(Advice.THIS, Advice.RETURNED), 1));
    Fixture plain = new Fixture();
    for (int n : new int[] {-3, 0, 1, 2, 9}) {
      RecordingBridge.reset();
      assertThat(call(fixture, "classify", n, "ab")).isEqualTo(plain.classify(n, "ab"));
      assertThat(RecordingBridge.CALLS).hasSize(2);
      assertThat(RecordingBridge.CALLS.get(1))
          .isEqualTo("exit 1 state this Integer:" + plain.classify(n, "ab") + " -");
    }
  }

  @Test
  void staticMethodsWithLongAndDoubleSlotsKeepTheirResult() throws Exception {
    Object fixture = woven(rule(Methods.named("mix").isStatic(),
        Advice.onEnter(Advice.NOTHING, Advice.argument(2)).onExit(Advice.NOTHING, Advice.RETURNED),
        3));
    Object result = call(fixture, "mix", 4L, 2.5d, "tag", new int[] {1, 2});
    assertThat(result).isEqualTo(Fixture.mix(4L, 2.5d, "tag", new int[] {1, 2}));
    assertThat(RecordingBridge.CALLS)
        .containsExactly("enter 3 null String:tag", "exit 3 state null Double:" + result + " -");
  }

  @Test
  void aThrowableLeavesTheMethodUnchangedAfterExitHasSeenIt() throws Exception {
    Object fixture = woven(rule(Methods.named("fail"), AROUND, 2));
    assertThatThrownBy(() -> call(fixture, "fail", "boom"))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("boom");
    assertThat(RecordingBridge.CALLS)
        .containsExactly("enter 2 this String:boom", "exit 2 state this null IOException:boom");
    RecordingBridge.reset();
    assertThat(call(fixture, "fail", "")).isEqualTo("empty");
    assertThat(RecordingBridge.CALLS).last().isEqualTo("exit 2 state this String:empty -");
  }

  @Test
  void theMethodsOwnCatchAndFinallyStillComeFirst() throws Exception {
    Object fixture = woven(rule(Methods.named("catchesItsOwn"), AROUND, 4));
    assertThat(call(fixture, "catchesItsOwn", "x")).isEqualTo("caught x");
    assertThat(call(fixture, "catchesItsOwn", "12")).isEqualTo("number");
    assertThat(RecordingBridge.CALLS)
        .containsExactly(
            "enter 4 this String:x", "exit 4 state this String:caught x -",
            "enter 4 this String:12", "exit 4 state this String:number -");
  }

  @Test
  void aBridgeThatThrowsNeverChangesWhatTheMethodDoes() throws Exception {
    Object fixture = woven(
        rule(Methods.named("greet"), AROUND, 0),
        rule(Methods.named("fail"), AROUND, 1),
        rule(Methods.named("run"),
            Advice.onEnter(Advice.THIS, Advice.argument(0)).replacingArgument(0)
                .onExit(Advice.THIS, Advice.NOTHING), 2));
    RecordingBridge.throwOnEnter = new IllegalStateException("enter broke");
    RecordingBridge.throwOnExit = new IllegalStateException("exit broke");
    RecordingBridge.throwOnArgument = new StackOverflowError("argument broke");
    assertThat(call(fixture, "greet", "ann")).isEqualTo("hello ann");
    assertThatThrownBy(() -> call(fixture, "fail", "boom"))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("boom");
    AtomicInteger ran = new AtomicInteger();
    call(fixture, "run", (Runnable) ran::incrementAndGet);
    assertThat(ran).hasValue(1);
    // exit is still called when enter threw, with no state
    assertThat(RecordingBridge.CALLS).contains("exit 0 null this String:hello ann -");
  }

  @Test
  void anArgumentReplacementThatThrowsLeavesTheArgumentAsItWas() throws Exception {
    Object fixture = woven(rule(Methods.named("run"),
        Advice.onEnter(Advice.THIS, Advice.argument(0)).replacingArgument(0)
            .onExit(Advice.THIS, Advice.NOTHING), 3));
    RecordingBridge.throwOnArgument = new StackOverflowError("argument broke");
    RecordingBridge.argumentReplacement = original -> (Runnable) () -> {
      throw new AssertionError("the replacement must not run");
    };
    AtomicInteger ran = new AtomicInteger();
    call(fixture, "run", (Runnable) ran::incrementAndGet);
    assertThat(ran).hasValue(1);
    assertThat(RecordingBridge.CALLS).hasSize(3);
    assertThat(RecordingBridge.CALLS.get(1)).startsWith("argument 3 state");
    assertThat(RecordingBridge.CALLS.get(2)).isEqualTo("exit 3 state this null -");
  }

  @Test
  void anArgumentCanBeReplacedAndAReplacementOfTheWrongTypeIsIgnored() throws Exception {
    Advice wrap = Advice.onEnter(Advice.NOTHING, Advice.argument(0)).replacingArgument(0);
    Object fixture = woven(rule(Methods.named("run"), wrap, 5));
    List<String> order = new ArrayList<>();
    RecordingBridge.argumentReplacement =
        original -> (Runnable) () -> {
          order.add("wrapper");
          ((Runnable) original).run();
        };
    call(fixture, "run", (Runnable) () -> order.add("task"));
    assertThat(order).containsExactly("wrapper", "task");

    order.clear();
    RecordingBridge.argumentReplacement = original -> "not a Runnable";
    call(fixture, "run", (Runnable) () -> order.add("task"));
    assertThat(order).containsExactly("task");
  }

  @Test
  void theReturnedValueCanBeReplacedAndAReplacementOfTheWrongTypeIsIgnored() throws Exception {
    Object fixture = woven(rule(Methods.named("greet"), AROUND.replacingReturned(), 6));
    RecordingBridge.resultReplacement = r -> "replaced " + r;
    assertThat(call(fixture, "greet", "x")).isEqualTo("replaced hello x");
    RecordingBridge.resultReplacement = r -> 42;
    assertThat(call(fixture, "greet", "x")).isEqualTo("hello x");
  }

  @Test
  void enterOnlyAdviceOnASynchronizedMethodWithALongArgument() throws Exception {
    Object fixture = woven(rule(Methods.named("count"), Advice.onEnter(Advice.THIS, Advice.NOTHING),
        8));
    assertThat(call(fixture, "count", 5L)).isEqualTo(5L);
    assertThat(call(fixture, "count", 2L)).isEqualTo(7L);
    assertThat(RecordingBridge.CALLS).containsExactly("enter 8 this null", "enter 8 this null");
  }

  @Test
  void aConditionalEnterRunsOnlyWhenItsBooleanArgumentIsTrue() throws Exception {
    Object fixture = woven(rule(Methods.named("maybe"),
        Advice.onEnter(Advice.THIS, Advice.argument(1)).onlyIfTrue(0), 9));
    assertThat(call(fixture, "maybe", false, "a")).isEqualTo("a");
    assertThat(RecordingBridge.CALLS).isEmpty();
    assertThat(call(fixture, "maybe", true, "b")).isEqualTo("tracked b");
    assertThat(RecordingBridge.CALLS).containsExactly("enter 9 this String:b");
  }

  @Test
  void loopsAndLambdasInsideAWovenMethodStillRun() throws Exception {
    Object fixture = woven(rule(Methods.named("collect"), AROUND, 10));
    Iterator<String> values = List.of("a", "skip", "b").iterator();
    Callable<String> next = values::next;
    assertThat(call(fixture, "collect", "p-", next)).isEqualTo(List.of("p-a", "p-b"));
    assertThat(RecordingBridge.CALLS).last().isEqualTo("exit 10 state this ArrayList:[p-a, p-b] -");
  }

  @Test
  void onlyMatchedMethodsAreWovenAndTheClassKeepsItsShape() throws Exception {
    byte[] original = fixtureBytes();
    byte[] woven = WEAVER.weave(original, List.of(rule(Methods.named("greet"), AROUND, 0)));
    Class<?> plain = define(original);
    Class<?> changed = define(woven);
    assertThat(signatures(changed)).isEqualTo(signatures(plain));
    Object fixture = changed.getConstructor().newInstance();
    call(fixture, "classify", 3, "x");
    call(fixture, "self");
    assertThat(RecordingBridge.CALLS).isEmpty();
  }

  @Test
  void nothingIsWrittenWhenNoMethodMatchesOrTheAdviceDoesNotFit() throws Exception {
    assertThat(WEAVER.weave(fixtureBytes(), List.of(rule(Methods.named("absent"), AROUND, 0))))
        .isNull();
    // `this` in a static method, a primitive where a reference is needed: left alone
    assertThat(WEAVER.weave(fixtureBytes(),
        List.of(rule(Methods.named("mix"), Advice.onEnter(Advice.THIS, Advice.NOTHING), 0))))
        .isNull();
    assertThat(WEAVER.weave(fixtureBytes(),
        List.of(rule(Methods.named("count"), Advice.onEnter(Advice.NOTHING, Advice.argument(0)),
            0))))
        .isNull();
    assertThat(WEAVER.weave(classBytes(Runnable.class),
        List.of(rule(Methods.named("run"), Advice.onEnter(Advice.THIS, Advice.NOTHING), 0))))
        .isNull();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static AdviceWeaver.Rule rule(Methods methods, Advice advice, int hook) {
    return new AdviceWeaver.Rule(methods, advice, hook);
  }

  private static Object woven(AdviceWeaver.Rule... rules) throws Exception {
    byte[] woven = WEAVER.weave(fixtureBytes(), List.of(rules));
    assertThat(woven).as("woven").isNotNull();
    return define(woven).getConstructor().newInstance();
  }

  private static byte[] fixtureBytes() throws IOException {
    return classBytes(Fixture.class);
  }

  static byte[] classBytes(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader()
        : ClassLoader.getSystemClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  /** A fresh loader that defines Fixture from {@code bytes}: the JVM verifies it on linking. */
  private static Class<?> define(byte[] bytes) throws Exception {
    ClassLoader loader = new ClassLoader(AdviceWeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(Fixture.class.getName())) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, bytes, 0, bytes.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
    Class<?> c = Class.forName(Fixture.class.getName(), true, loader);
    assertThat(c.getClassLoader()).isSameAs(loader);
    return c;
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        try {
          return m.invoke(java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : target,
              args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof Exception ex) {
            throw ex;
          }
          throw (Error) e.getCause();
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static List<String> signatures(Class<?> c) {
    List<String> out = new ArrayList<>();
    Arrays.stream(c.getDeclaredMethods()).map(Method::toString).sorted().forEach(out::add);
    Arrays.stream(c.getDeclaredFields()).map(Object::toString).sorted().forEach(out::add);
    return out;
  }
}
