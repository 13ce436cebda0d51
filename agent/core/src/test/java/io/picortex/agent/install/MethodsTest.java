package io.picortex.agent.install;

import static net.bytebuddy.jar.asm.Opcodes.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MethodsTest {

  @Test
  void namesVisibilityAndStaticAreReadFromTheAccessFlags() {
    Methods m = Methods.named("execute", "submit").isPublic();
    assertThat(m.matches(ACC_PUBLIC, "execute", "()V")).isTrue();
    assertThat(m.matches(ACC_PUBLIC | ACC_FINAL, "submit", "()V")).isTrue();
    assertThat(m.matches(ACC_PROTECTED, "execute", "()V")).isFalse();
    assertThat(m.matches(ACC_PUBLIC, "run", "()V")).isFalse();
    assertThat(Methods.named("x").isPrivate().matches(ACC_PRIVATE, "x", "()V")).isTrue();
    assertThat(Methods.named("x").isProtected().matches(0, "x", "()V")).isFalse();
    assertThat(Methods.named("x").isStatic().matches(ACC_PUBLIC, "x", "()V")).isFalse();
    assertThat(Methods.named("x").isStatic().matches(ACC_STATIC, "x", "()V")).isTrue();
  }

  @Test
  void parameterTypesAndCountsAreReadFromTheDescriptor() {
    Methods exact = Methods.named("beforeExecute").takes("java.lang.Thread", "java.lang.Runnable");
    assertThat(exact.matches(ACC_PROTECTED, "beforeExecute",
        "(Ljava/lang/Thread;Ljava/lang/Runnable;)V")).isTrue();
    assertThat(exact.matches(ACC_PROTECTED, "beforeExecute", "(Ljava/lang/Thread;)V")).isFalse();
    Methods first = Methods.named("poolSubmit").takesArguments(2).takesArgument(0, "boolean");
    assertThat(first.matches(ACC_PRIVATE, "poolSubmit", "(ZLjava/util/concurrent/ForkJoinTask;)"
        + "Ljava/util/concurrent/ForkJoinTask;")).isTrue();
    assertThat(first.matches(ACC_PRIVATE, "poolSubmit", "(ILjava/lang/Object;)V")).isFalse();
    assertThat(Methods.named("f").takesArgument(0, "java.lang.String[]")
        .matches(0, "f", "([Ljava/lang/String;)V")).isTrue();
    assertThat(Methods.named("f").takesArgument(1, "long").matches(0, "f", "(J)V")).isFalse();
  }

  @Test
  void voidCanBeExcluded() {
    Methods m = Methods.named("executeBatch").takesArguments(0).returnsSomething();
    assertThat(m.matches(ACC_PUBLIC, "executeBatch", "()[I")).isTrue();
    assertThat(m.matches(ACC_PUBLIC, "executeBatch", "()V")).isFalse();
  }

  @Test
  void methodsWithoutOwnCodeAndBridgesNeverMatch() {
    Methods m = Methods.named("execute");
    assertThat(m.matches(ACC_PUBLIC | ACC_ABSTRACT, "execute", "()V")).isFalse();
    assertThat(m.matches(ACC_PUBLIC | ACC_NATIVE, "execute", "()V")).isFalse();
    assertThat(m.matches(ACC_PUBLIC | ACC_BRIDGE | ACC_SYNTHETIC, "execute", "()V")).isFalse();
    assertThat(Methods.named("<init>").matches(ACC_PUBLIC, "<init>", "()V")).isFalse();
    assertThat(Methods.named("<clinit>").matches(ACC_STATIC, "<clinit>", "()V")).isFalse();
  }
}
