package io.picortex.instrumentation.jdbc;

import io.picortex.agent.util.WeakIdentityMap;
import java.sql.Connection;
import java.sql.Statement;

/** What JDBC objects do not tell later: a prepared statement's SQL and a connection's URL. */
final class JdbcState {
  private static final String UNKNOWN = "";

  final WeakIdentityMap<Object, String> preparedSql = new WeakIdentityMap<>(50_000);
  private final WeakIdentityMap<Object, String> connectionUrls = new WeakIdentityMap<>(10_000);

  /** The statement's connection URL, or null; asked once per connection. */
  String url(Statement statement) {
    Connection connection;
    try {
      connection = statement.getConnection();
    } catch (Exception | LinkageError e) {
      return null;
    }
    if (connection == null) {
      return null;
    }
    String url = connectionUrls.get(connection);
    if (url == null) {
      try {
        url = connection.getMetaData().getURL();
      } catch (Exception | LinkageError e) {
        url = null;
      }
      connectionUrls.put(connection, url == null ? UNKNOWN : url);
    }
    return url == null || url.isEmpty() ? null : url;
  }
}
