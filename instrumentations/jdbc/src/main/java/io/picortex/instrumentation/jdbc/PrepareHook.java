package io.picortex.instrumentation.jdbc;

import io.picortex.agent.bridge.Hook;

/** Remembers which SQL a prepared statement was made from. */
final class PrepareHook implements Hook {
  private final JdbcState state;

  PrepareHook(JdbcState state) {
    this.state = state;
  }

  @Override
  public Object onEnter(Object connection, Object sql) {
    return sql;
  }

  @Override
  public Object onExit(Object sql, Object connection, Object statement, Throwable thrown) {
    if (sql instanceof String text && statement != null) {
      state.preparedSql.put(statement, text);
    }
    return statement;
  }
}
