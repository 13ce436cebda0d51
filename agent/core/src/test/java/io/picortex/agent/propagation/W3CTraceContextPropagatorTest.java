package io.picortex.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class W3CTraceContextPropagatorTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";
  private static final String VALID = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  private final W3CTraceContextPropagator propagator = W3CTraceContextPropagator.getInstance();

  private SpanContext extract(String traceparent) {
    return extract(traceparent, null);
  }

  private SpanContext extract(String traceparent, String tracestate) {
    Map<String, String> headers = new HashMap<>();
    if (traceparent != null) {
      headers.put("traceparent", traceparent);
    }
    if (tracestate != null) {
      headers.put("tracestate", tracestate);
    }
    return Span.fromContext(propagator.extract(Context.root(), headers, GETTER)).getSpanContext();
  }

  // ---- traceparent: accepted ---------------------------------------------------------------

  @Test
  void validVersion00TraceparentBecomesTheRemoteParent() {
    SpanContext parent = extract(VALID);

    assertThat(parent.isValid()).isTrue();
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(parent.isSampled()).isTrue();
    assertThat(parent.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void unsampledFlagIsKept() {
    assertThat(extract("00-" + TRACE_ID + "-" + SPAN_ID + "-00").isSampled()).isFalse();
  }

  @Test
  void randomFlagOfLevel2IsKeptAndUndefinedFlagBitsAreCleared() {
    SpanContext parent = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-ff");

    assertThat(parent.isValid()).isTrue();
    assertThat(parent.getTraceFlags().asByte()).isEqualTo((byte) 0x03);
  }

  @Test
  void surroundingSpacesAndTabsAreIgnored() {
    assertThat(extract(" \t" + VALID + "\t ").getSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void futureVersionWithTheSame55CharactersIsAccepted() {
    assertThat(extract("cc-" + TRACE_ID + "-" + SPAN_ID + "-01").isValid()).isTrue();
  }

  @Test
  void futureVersionWithExtraFieldsAfterADashIsAccepted() {
    SpanContext parent = extract("01-" + TRACE_ID + "-" + SPAN_ID + "-01-what-the-future-holds");

    assertThat(parent.isValid()).isTrue();
    assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
  }

  // ---- traceparent: rejected ---------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "00",
        // version ff is forbidden, versions are lowercase hex
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "0A-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "0g-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        // version 00 is exactly 55 characters
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
        // future version: character 55 must be a dash
        "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
        // all-zero ids
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        // uppercase hex
        "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0A",
        // wrong lengths, separators, characters
        "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319cc-b7ad6b716920333-01",
        "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331_01",
        "00-0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333z-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0z",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\u0000",
        "00-0af7651916cd43dd8448eb2 1c80319c-b7ad6b7169203331-01"
      })
  void invalidTraceparentLeavesTheContextUnchanged(String traceparent) {
    Context before = Context.root().with(ContextKey.named("marker"), "kept");
    Map<String, String> headers = Map.of("traceparent", traceparent, "tracestate", "a=1");

    Context after = propagator.extract(before, headers, GETTER);

    assertThat(after).isSameAs(before);
    assertThat(Span.fromContext(after).getSpanContext().isValid()).isFalse();
  }

  @Test
  void missingTraceparentLeavesTheContextUnchanged() {
    Context before = Context.root();

    assertThat(propagator.extract(before, new HashMap<>(), GETTER)).isSameAs(before);
  }

  @Test
  void invalidTraceparentDoesNotReplaceAnExistingParent() {
    SpanContext existing =
        SpanContext.create(
            "11111111111111111111111111111111",
            "2222222222222222",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Context before = Context.root().with(Span.wrap(existing));

    Context after = propagator.extract(before, Map.of("traceparent", "garbage"), GETTER);

    assertThat(Span.fromContext(after).getSpanContext()).isEqualTo(existing);
  }

  @Test
  void futureVersionLongerThanTheBoundIsRejected() {
    String huge = "01-" + TRACE_ID + "-" + SPAN_ID + "-01-" + "x".repeat(TraceParent.MAX_LENGTH);

    assertThat(extract(huge).isValid()).isFalse();
  }

  @Test
  void nullContextGetterAndCarrierAreTolerated() {
    assertThat(propagator.extract(null, Map.of("traceparent", VALID), GETTER)).isNotNull();
    assertThat(propagator.extract(Context.root(), null, GETTER)).isSameAs(Context.root());
    assertThat(propagator.extract(Context.root(), Map.of(), null)).isSameAs(Context.root());
  }

  // ---- tracestate ----------------------------------------------------------------------------

  @Test
  void tracestateMembersAreKeptInHeaderOrder() {
    TraceState state = extract(VALID, "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7").getTraceState();

    assertThat(state.size()).isEqualTo(2);
    assertThat(state.get("congo")).isEqualTo("t61rcWkgMzE");
    assertThat(state.get("rojo")).isEqualTo("00f067aa0ba902b7");
    assertThat(W3CTraceContextPropagator.formatTraceState(state))
        .isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  }

  @Test
  void multiTenantKeysAreAccepted() {
    TraceState state = extract(VALID, "tenant1@vendor=v, 9tenant@x-y_z*/=w").getTraceState();

    assertThat(state.get("tenant1@vendor")).isEqualTo("v");
    assertThat(state.get("9tenant@x-y_z*/")).isEqualTo("w");
  }

  @Test
  void emptyMembersAndSurroundingWhiteSpaceAreIgnored() {
    TraceState state = extract(VALID, " ,a=1,\t, b=2 ,,").getTraceState();

    assertThat(state.asMap()).containsOnlyKeys("a", "b");
  }

  @Test
  void valuesMayContainInnerSpacesAndPrintableAsciiPunctuation() {
    TraceState state = extract(VALID, "a=x y!~:;").getTraceState();

    assertThat(state.get("a")).isEqualTo("x y!~:;");
  }

  @Test
  void thirtyTwoMembersAreAccepted() {
    assertThat(extract(VALID, members(32)).getTraceState().size()).isEqualTo(32);
  }

  @Test
  void thirtyThreeMembersDropTheWholeTracestateButTheTraceContinues() {
    SpanContext parent = extract(VALID, members(33));

    assertThat(parent.isValid()).isTrue();
    assertThat(parent.getTraceState().isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a=1,B=2", // uppercase key
        "1a=1", // simple key starting with a digit
        "a b=1", // space in key
        "a =1", // space before '='
        "a=", // empty value
        "=1", // empty key
        "a", // no '='
        "a=1=2", // '=' in value
        "a=1,a=2", // duplicate key
        "t@=1", // empty system
        "@s=1", // empty tenant
        "t@1s=1", // system starting with a digit
        "t@s@x=1", // two '@'
        "t@abcdefghijklmno=1", // system longer than 14
        "a=caf\u00e9", // non-ASCII value
        "a=1\tb", // tab inside value
        "a=\u007f" // DEL
      })
  void invalidTracestateIsDroppedWhileTheTraceContinues(String tracestate) {
    SpanContext parent = extract(VALID, tracestate);

    assertThat(parent.isValid()).isTrue();
    assertThat(parent.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void keyAndValueLengthLimitsAreEnforced() {
    String key256 = "k" + "a".repeat(255);
    String value256 = "v".repeat(256);
    assertThat(TraceStateCodec.isValidKey(key256, 0, 256)).isTrue();
    assertThat(TraceStateCodec.isValidKey(key256 + "a", 0, 257)).isFalse();
    assertThat(TraceStateCodec.isValidValue(value256, 0, 256)).isTrue();
    assertThat(TraceStateCodec.isValidValue(value256 + "v", 0, 257)).isFalse();
    String tenant241 = "t".repeat(241);
    assertThat(TraceStateCodec.isValidKey(tenant241 + "@s", 0, 243)).isTrue();
    assertThat(TraceStateCodec.isValidKey("t" + tenant241 + "@s", 0, 244)).isFalse();
  }

  @Test
  void tracestateLongerThan512CharactersIsDropped() {
    String eachMemberValid = "a=" + "x".repeat(256) + ",b=" + "y".repeat(256);
    assertThat(eachMemberValid.length()).isGreaterThan(TraceStateCodec.MAX_LENGTH);

    assertThat(extract(VALID, eachMemberValid).getTraceState().isEmpty()).isTrue();
  }

  @Test
  void tracestateIsNotReadWhenTraceparentIsInvalid() {
    Map<String, String> headers = new HashMap<>();
    headers.put("traceparent", "00-bad");
    headers.put("tracestate", "a=1");
    Map<String, Integer> reads = new HashMap<>();
    TextMapGetter<Map<String, String>> countingGetter =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            reads.merge(key, 1, Integer::sum);
            return carrier.get(key);
          }
        };

    propagator.extract(Context.root(), headers, countingGetter);

    assertThat(reads).containsOnlyKeys("traceparent");
  }

  // ---- inject ------------------------------------------------------------------------------

  @Test
  void injectWritesVersion00TraceparentAndTracestate() {
    TraceState state =
        TraceState.builder().put("rojo", "00f067aa0ba902b7").put("congo", "t61").build();
    SpanContext spanContext = SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), state);
    Map<String, String> headers = new LinkedHashMap<>();

    propagator.inject(Context.root().with(Span.wrap(spanContext)), headers, SETTER);

    assertThat(headers)
        .containsExactly(
            Map.entry("traceparent", VALID),
            Map.entry("tracestate", "congo=t61,rojo=00f067aa0ba902b7"));
  }

  @Test
  void injectOmitsAnEmptyTracestate() {
    SpanContext spanContext =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());
    Map<String, String> headers = new HashMap<>();

    propagator.inject(Context.root().with(Span.wrap(spanContext)), headers, SETTER);

    assertThat(headers)
        .containsOnly(Map.entry("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00"));
  }

  @Test
  void injectWritesNothingWithoutAValidSpanContext() {
    Map<String, String> headers = new HashMap<>();

    propagator.inject(Context.root(), headers, SETTER);
    propagator.inject(null, headers, SETTER);
    propagator.inject(Context.root().with(Span.wrap(SpanContext.getInvalid())), headers, SETTER);

    assertThat(headers).isEmpty();
  }

  @Test
  void extractThenInjectRoundTripsTheHeaders() {
    Map<String, String> incoming = Map.of("traceparent", VALID, "tracestate", "a=1,b@c=2");
    Map<String, String> outgoing = new HashMap<>();

    propagator.inject(propagator.extract(Context.root(), incoming, GETTER), outgoing, SETTER);

    assertThat(outgoing).isEqualTo(incoming);
  }

  @Test
  void fieldsAreTraceparentAndTracestate() {
    assertThat(propagator.fields()).containsExactly("traceparent", "tracestate");
  }

  // ---- static helpers for environment variables ------------------------------------------

  @Test
  void formatGivesTheTraceparentOfAValidContextAndNullOtherwise() {
    SpanContext spanContext =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());

    assertThat(W3CTraceContextPropagator.format(spanContext)).isEqualTo(VALID);
    assertThat(W3CTraceContextPropagator.format(SpanContext.getInvalid())).isNull();
    assertThat(W3CTraceContextPropagator.format(null)).isNull();
  }

  @Test
  void formatTraceStateOfEmptyOrNullIsEmptyString() {
    assertThat(W3CTraceContextPropagator.formatTraceState(TraceState.getDefault())).isEmpty();
    assertThat(W3CTraceContextPropagator.formatTraceState(null)).isEmpty();
  }

  @Test
  void parseReadsEnvironmentStyleValues() {
    SpanContext parent = W3CTraceContextPropagator.parse(VALID, "a=1");

    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(parent.getTraceState().get("a")).isEqualTo("1");
    assertThat(W3CTraceContextPropagator.parse(null, "a=1")).isEqualTo(SpanContext.getInvalid());
    assertThat(W3CTraceContextPropagator.parse("nonsense", null).isValid()).isFalse();
  }

  private static String members(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('k').append(i).append("=v");
    }
    return sb.toString();
  }
}
