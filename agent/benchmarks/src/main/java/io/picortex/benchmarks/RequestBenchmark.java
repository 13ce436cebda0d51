package io.picortex.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.picortex.agent.handler.DbHandler;
import io.picortex.agent.handler.HttpClientHandler;
import io.picortex.agent.handler.HttpServerHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole typical request as the agent sees it: an incoming request with {@code traceparent} and
 * {@code X-Request-ID}, one prepared database query and one downstream HTTP call inside it. The
 * agent's total added cost per request of this shape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RequestBenchmark {
  private HttpServerHandler server;
  private HttpClientHandler client;
  private DbHandler db;
  private FakeServerRequest incoming;
  private FakeClientRequest outgoing;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    server = pipeline.handlers.httpServer();
    client = pipeline.handlers.httpClient();
    db = pipeline.handlers.db();
    incoming =
        new FakeServerRequest("GET", "/api/orders/42", "page=2&size=20", "/api/orders")
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .header("X-Request-ID", Pipeline.INCOMING_REQUEST_ID);
    outgoing =
        new FakeClientRequest(
            "GET", URI.create("http://inventory.internal:8081/api/stock/42?warehouse=east"));
  }

  @Benchmark
  public HttpServerHandler.Call serverWithDbAndClient() {
    HttpServerHandler.Call call = server.start(incoming, FakeServerRequest.ADAPTER);
    Span query =
        db.start(
            SqlBenchmark.JDBC_URL,
            "SELECT id, customer_id, status, total FROM orders WHERE id = ? AND tenant_id = ?");
    db.end(query, null);
    HttpClientHandler.Call downstream = client.start(outgoing.reset(), FakeClientRequest.ADAPTER);
    client.end(downstream, 200, null);
    server.end(call, 200, null);
    return call;
  }
}
