package io.picortex.instrumentation.jdbc;

import io.opentelemetry.api.trace.Span;
import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.DbHandler;
import java.sql.Statement;

/** One span per statement execution; the outermost of nested (pool → driver) calls. */
final class ExecuteHook implements Hook {
  private final DbHandler handler;
  private final JdbcState state;
  private final CallDepth depth;

  ExecuteHook(DbHandler handler, JdbcState state, CallDepth depth) {
    this.handler = handler;
    this.state = state;
    this.depth = depth;
  }

  @Override
  public Object onEnter(Object self, Object sql) {
    if (depth.enter() > 1 || !(self instanceof Statement statement)) {
      return null;
    }
    String text = sql instanceof String s ? s : state.preparedSql.get(statement);
    return handler.start(state.url(statement), text);
  }

  @Override
  public Object onExit(Object span, Object self, Object result, Throwable thrown) {
    try {
      if (span instanceof Span s) {
        handler.end(s, thrown);
      }
      return result;
    } finally {
      depth.exit();
    }
  }
}
