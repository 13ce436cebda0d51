package io.picortex.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The environment-block path of child processes, in a JVM where {@code java.lang} is opened (as
 * the agent opens it). The JDK method is woven only under the agent: the smoke tests start real
 * children through it on JDK 17 and 25; here the block logic and the fallback are checked.
 */
class InheritedEnvironmentTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final ProcessHandler handler =
      Handlers.create(new Tracing(provider.get("test"), W3CTraceContextPropagator.getInstance(),
          "X-Request-ID", "PICORTEX_REQUEST_ID", null)).process();

  @AfterEach
  void close() {
    provider.close();
  }

  /** "NAME=value\0" entries back into a map, as the child would see them. */
  private static Map<String, String> decode(byte[] block) {
    Map<String, String> variables = new HashMap<>();
    int start = 0;
    for (int i = 0; i < block.length; i++) {
      if (block[i] == 0) {
        String entry = new String(block, start, i - start, StandardCharsets.UTF_8);
        int eq = entry.indexOf('=');
        variables.put(entry.substring(0, eq), entry.substring(eq + 1));
        start = i + 1;
      }
    }
    assertThat(start).as("the block ends with a NUL").isEqualTo(block.length);
    return variables;
  }

  @Test
  void theJvmBlockIsTheEnvironmentAChildWouldInherit() {
    assertThat(InheritedEnvironment.available()).as("java.lang is opened to this test").isTrue();
    InheritedEnvironment.Block block = InheritedEnvironment.jvmBlockForTests();
    assertThat(decode(block.bytes())).isEqualTo(System.getenv());
    assertThat(block.count()).isEqualTo(System.getenv().size());
  }

  @Test
  void aBuilderIsUntouchedUntilItsEnvironmentIsAskedFor() {
    ProcessBuilder builder = new ProcessBuilder("true");
    assertThat(InheritedEnvironment.untouched(builder)).isTrue();
    builder.environment();
    assertThat(InheritedEnvironment.untouched(builder)).isFalse();
  }

  @Test
  void theBlockForAnInheritingStartIsTheJvmsWithOurVariablesAndTheirCount() {
    ProcessHandler.Call call = handler.startInheriting(List.of("/bin/sh", "-c", "exit 0"));
    int[] envc = new int[1];

    Object block = handler.environmentBlock(null, envc);

    Map<String, String> child = decode((byte[]) block);
    assertThat(child).containsAllEntriesOf(System.getenv());
    assertThat(child.get("TRACEPARENT"))
        .isEqualTo("00-" + call.span.getSpanContext().getTraceId() + "-"
            + call.span.getSpanContext().getSpanId() + "-"
            + call.span.getSpanContext().getTraceFlags().asHex());
    assertThat(envc[0]).isEqualTo(child.size()).isEqualTo(System.getenv().size() + 1);
    assertThat(handler.environmentBlock(null, new int[1]))
        .as("delivered once per start").isNull();

    handler.failed(call, new ProcessBuilder("sh"), new IOException("test"));
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void aBlockTheJdkBuiltFromTheBuildersEnvironmentIsLeftAlone() {
    handler.startInheriting(List.of("sh"));
    byte[] fromTheApplicationsMap = "A=b\0".getBytes(StandardCharsets.UTF_8);
    int[] envc = {1};

    assertThat(handler.environmentBlock(fromTheApplicationsMap, envc)).isSameAs(fromTheApplicationsMap);
    assertThat(envc[0]).isEqualTo(1);
  }

  @Test
  void afterTheStartNothingIsAddedToLaterBlocksOnTheThread() {
    ProcessHandler.Call call = handler.startInheriting(List.of("sh"));
    ProcessBuilder builder = new ProcessBuilder("sh");
    handler.failed(call, builder, new IOException("test"));

    assertThat(handler.environmentBlock(null, new int[1])).isNull();
    assertThat(InheritedEnvironment.untouched(builder))
        .as("ending an inheriting start does not copy the environment into the builder").isTrue();
  }

  @Test
  void whereTheJdkMethodIsNotWovenAStartAddsToTheBuildersEnvironmentAndRemovesAfterwards() {
    ProcessBuilder builder = new ProcessBuilder("sh");

    ProcessHandler.Call call = handler.start(builder);

    assertThat(call.inherits()).isFalse();
    assertThat(builder.environment()).containsKey("TRACEPARENT");
    handler.failed(call, builder, new IOException("test"));
    assertThat(builder.environment()).doesNotContainKey("TRACEPARENT");
    assertThat(handler.environmentBlock(null, new int[1])).as("the probe left nothing behind").isNull();
  }

  @Test
  void aVariableTheJvmAlreadyHasIsNotOursToSet() {
    String inherited = System.getenv().keySet().iterator().next();
    assertThat(InheritedEnvironment.inheritedValue(inherited)).isEqualTo(System.getenv(inherited));
    assertThat(InheritedEnvironment.inheritedValue(inherited)).as("asked again")
        .isEqualTo(System.getenv(inherited));
    assertThat(InheritedEnvironment.inheritedValue("PICORTEX_TEST_SURELY_UNSET_7F3A")).isNull();
    assertThat(InheritedEnvironment.has("PICORTEX_TEST_SURELY_UNSET_7F3A")).as("asked again").isFalse();
  }

  /** A variable of this JVM's own environment whose name is plain capitals (PATH, HOME, ...). */
  private static String inheritedName() {
    String name = System.getenv().keySet().stream().filter(n -> n.matches("[A-Z]+")).sorted()
        .findFirst().orElse(null);
    assumeTrue(name != null, "no plain-capitals variable in this JVM's environment");
    return name;
  }

  /** A handler whose propagator sets {@code key} (as the W3C one sets "traceparent"). */
  private ProcessHandler handlerSetting(String key) {
    TextMapPropagator setsKey = new TextMapPropagator() {
      @Override
      public Collection<String> fields() {
        return List.of(key);
      }

      @Override
      public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        setter.set(carrier, key, "ours");
      }

      @Override
      public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        return context;
      }
    };
    return Handlers.create(new Tracing(provider.get("test"), setsKey, "X-Request-ID",
        "PICORTEX_REQUEST_ID", null)).process();
  }

  @Test
  void aValueTheBuilderOnlyInheritedIsReplacedForTheStartAndPutBackAfterwards() {
    String name = inheritedName();
    ProcessHandler handler = handlerSetting(name.toLowerCase(Locale.ROOT));
    ProcessBuilder builder = new ProcessBuilder("sh");

    ProcessHandler.Call call = handler.start(builder);

    assertThat(call.inherits()).as("the JVM has the variable: no block path").isFalse();
    assertThat(builder.environment()).containsEntry(name, "ours");
    handler.failed(call, builder, new IOException("test"));
    assertThat(builder.environment()).containsEntry(name, System.getenv(name));
  }

  @Test
  void aValueTheCallerSetIsLeftAlone() {
    String name = inheritedName();
    ProcessHandler handler = handlerSetting(name.toLowerCase(Locale.ROOT));
    ProcessBuilder builder = new ProcessBuilder("sh");
    builder.environment().put(name, "the caller's");

    ProcessHandler.Call call = handler.start(builder);

    assertThat(builder.environment()).containsEntry(name, "the caller's");
    handler.failed(call, builder, new IOException("test"));
    assertThat(builder.environment()).containsEntry(name, "the caller's");
  }

  @Test
  void variablesAreEncodedAsTheJdkEncodesThem() {
    assertThat(InheritedEnvironment.encode("TRACEPARENT", "00-ab"))
        .isEqualTo("TRACEPARENT=00-ab\0".getBytes(StandardCharsets.US_ASCII));
  }
}
