package io.picortex.smoke;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Span look-ups shared by the smoke tests. */
final class Spans {

  /**
   * How long the first span of a request may take to arrive: export every 100 ms, but JVMs on two
   * busy cores. Once a service has missed this deadline, later waits for it are short, so a broken
   * agent fails the suite quickly rather than slowly.
   */
  static final Duration ARRIVAL = Duration.ofSeconds(15);
  /** After that span missed once, for the same service. */
  static final Duration ARRIVAL_AFTER_A_MISS = Duration.ofSeconds(3);
  /**
   * How long the rest of a trace may take once its root SERVER span is there: the root ends
   * last, so its children were queued for export before it.
   */
  static final Duration SETTLE = Duration.ofSeconds(3);

  private static final Set<String> SERVICES_THAT_MISSED = ConcurrentHashMap.newKeySet();

  static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  /** A ULID in its canonical 26-character Crockford base32 form. */
  static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

  private Spans() {}

  /**
   * A time stamp to pass as {@code since} before sending a request. A few ms of slack for clock
   * granularity; earlier requests to the same path were all awaited long before.
   */
  static long now() {
    return System.currentTimeMillis() * 1_000_000L - 5_000_000L;
  }

  /** The SERVER span one app made for a request to {@code path} sent after {@code since}. */
  static ReceivedSpan awaitServerSpan(
      OtlpReceiver receiver, AppProcess app, String service, String path, long since) {
    return awaitSpan(
        receiver,
        app,
        service,
        "a SERVER span with url.path " + path,
        s -> s.isServerFor(path) && s.startEpochNanos() >= since);
  }

  /** The first span from {@code service} that matches; the app's output is added on failure. */
  static ReceivedSpan awaitSpan(
      OtlpReceiver receiver,
      AppProcess app,
      String service,
      String description,
      Predicate<ReceivedSpan> match) {
    Duration timeout = SERVICES_THAT_MISSED.contains(service) ? ARRIVAL_AFTER_A_MISS : ARRIVAL;
    try {
      return receiver.awaitSpan(
          description + " from service " + service,
          s -> s.service().equals(service) && match.test(s),
          timeout);
    } catch (AssertionError e) {
      SERVICES_THAT_MISSED.add(service);
      throw new AssertionError(e.getMessage() + app.describe(), e);
    }
  }

  static List<ReceivedSpan> filter(List<ReceivedSpan> spans, Predicate<ReceivedSpan> match) {
    return spans.stream().filter(match).collect(Collectors.toList());
  }

  static long count(List<ReceivedSpan> spans, Predicate<ReceivedSpan> match) {
    return spans.stream().filter(match).count();
  }

  static List<ReceivedSpan> childrenOf(List<ReceivedSpan> spans, ReceivedSpan parent) {
    return filter(spans, s -> s.isChildOf(parent));
  }
}
