package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.picortex.agent.db.JdbcUrl;
import io.picortex.agent.db.SqlSanitizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Database calls: one CLIENT span per statement execution, the query text with every literal
 * replaced by {@code ?}, the database system and address from the connection URL, never its
 * credentials.
 */
public final class DbHandler {
  private static final int MAX_CACHED = 512;

  /** Sanitising is the costly part; see {@link #query}. */
  private final Map<String, Query> queries = new ConcurrentHashMap<>();

  private final Map<String, JdbcUrl> urls = new ConcurrentHashMap<>();
  private final Tracing tracing;

  DbHandler(Tracing tracing) {
    this.tracing = tracing;
  }

  private record Query(String text, String operation, String collection, String spanName) {}

  /**
   * @param jdbcUrl the connection's URL, or null when unknown
   * @param sql the statement as the application wrote it, or null (e.g. a batch)
   */
  public Span start(String jdbcUrl, String sql) {
    JdbcUrl url = jdbcUrl == null ? null : urls.computeIfAbsent(jdbcUrl, JdbcUrl::parse);
    String system = url == null ? "other_sql" : url.dbSystemName();
    Query query = sql == null ? null : query(sql, system);
    String name = query != null && query.spanName != null ? query.spanName : system;
    SpanBuilder builder =
        tracing
            .tracer()
            .spanBuilder(name)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(tracing.parentForOutgoing())
            .setAttribute(SemConv.DB_SYSTEM_NAME, system);
    if (query != null) {
      builder.setAttribute(SemConv.DB_QUERY_TEXT, query.text);
      if (query.operation != null) {
        builder.setAttribute(SemConv.DB_OPERATION_NAME, query.operation);
      }
      if (query.collection != null) {
        builder.setAttribute(SemConv.DB_COLLECTION_NAME, query.collection);
      }
    }
    if (url != null) {
      if (url.namespace() != null) {
        builder.setAttribute(SemConv.DB_NAMESPACE, url.namespace());
      }
      if (url.serverAddress() != null) {
        builder.setAttribute(SemConv.SERVER_ADDRESS, url.serverAddress());
      }
      if (url.serverPort() != null) {
        builder.setAttribute(SemConv.SERVER_PORT, (long) url.serverPort());
      }
    }
    return builder.startSpan();
  }

  public void end(Span span, Throwable error) {
    if (error != null) {
      span.recordException(error);
      span.setAttribute(SemConv.ERROR_TYPE, error.getClass().getName());
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /**
   * Sanitised statements are cached by their text: applications repeat a small set of them
   * (profiling a Spring service showed sanitising per call as the agent's largest CPU item). The
   * cache is bounded and simply cleared when full, so one-off statements cannot grow it.
   */
  private Query query(String sql, String system) {
    Query q = queries.get(sql);
    if (q != null) {
      return q;
    }
    String text = SqlSanitizer.sanitize(sql, system);
    String operation = SqlSanitizer.operation(sql);
    String collection = SqlSanitizer.collection(sql);
    String spanName =
        operation == null ? null : collection == null ? operation : operation + " " + collection;
    q = new Query(text, operation, collection, spanName);
    if (queries.size() >= MAX_CACHED) {
      queries.clear();
    }
    queries.put(sql, q);
    return q;
  }
}
