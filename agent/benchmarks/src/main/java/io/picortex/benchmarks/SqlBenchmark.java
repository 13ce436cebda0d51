package io.picortex.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.picortex.agent.db.SqlSanitizer;
import io.picortex.agent.handler.DbHandler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (4) {@link SqlSanitizer} on typical statements, and whole database spans through {@link
 * DbHandler}: with a prepared statement (the handler's statement cache hits) and with statements
 * whose inline literals differ every time (it misses: sanitise, name, cache, sometimes clear).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SqlBenchmark {
  static final String JDBC_URL = "jdbc:postgresql://db.internal:5432/orders?ssl=true&user=app";

  String prepared =
      "SELECT id, customer_id, status, total FROM orders WHERE id = ? AND tenant_id = ?";

  String literals =
      "SELECT o.id, o.total FROM orders o WHERE o.customer_id = 12345 AND o.status = 'SHIPPED'"
          + " AND o.total > 99.95 AND o.created_at >= '2024-01-01' ORDER BY o.created_at DESC"
          + " LIMIT 50";

  String longInsert = longInsert();

  /** Statements differing only in their literals, cycled through so the handler's cache misses. */
  private final String[] distinct = new String[4096];

  private int next;
  private DbHandler db;
  private io.opentelemetry.context.Context serverContext;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    db = pipeline.handlers.db();
    serverContext = pipeline.serverContext;
    for (int i = 0; i < distinct.length; i++) {
      distinct[i] =
          "SELECT id, total FROM orders WHERE customer_id = " + (100_000 + i)
              + " AND status = 'OPEN' LIMIT 20";
    }
  }

  private static String longInsert() {
    StringBuilder sql = new StringBuilder("INSERT INTO audit_events (");
    for (int c = 0; c < 12; c++) {
      sql.append(c == 0 ? "" : ", ").append("column_").append(c);
    }
    sql.append(") VALUES ");
    for (int row = 0; row < 10; row++) {
      sql.append(row == 0 ? "(" : ", (");
      for (int c = 0; c < 12; c++) {
        sql.append(c == 0 ? "" : ", ");
        if (c % 3 == 0) {
          sql.append("'value-").append(row).append('-').append(c).append('\'');
        } else {
          sql.append(c % 3 == 1 ? String.valueOf(row * 1000 + c) : "3.14");
        }
      }
      sql.append(')');
    }
    return sql.toString(); // ~1.1 KB, 120 literals
  }

  @Benchmark
  public String sanitize_prepared() {
    return SqlSanitizer.sanitize(prepared, "postgresql");
  }

  @Benchmark
  public String sanitize_literals() {
    return SqlSanitizer.sanitize(literals, "postgresql");
  }

  @Benchmark
  public String sanitize_longInsert() {
    return SqlSanitizer.sanitize(longInsert, "postgresql");
  }

  @Benchmark
  public void operationAndCollection_literals(Blackhole bh) {
    bh.consume(SqlSanitizer.operation(literals));
    bh.consume(SqlSanitizer.collection(literals));
  }

  @Benchmark
  public Span dbSpan_prepared() {
    Span span = db.start(JDBC_URL, prepared);
    db.end(span, null);
    return span;
  }

  @Benchmark
  public Span dbSpan_prepared_insideServerSpan() {
    try (Scope ignored = serverContext.makeCurrent()) {
      Span span = db.start(JDBC_URL, prepared);
      db.end(span, null);
      return span;
    }
  }

  @Benchmark
  public Span dbSpan_distinctLiterals() {
    String sql = distinct[next];
    next = (next + 1) & (distinct.length - 1);
    Span span = db.start(JDBC_URL, sql);
    db.end(span, null);
    return span;
  }
}
