package io.picortex.instrumentation.jdbc;

import io.picortex.agent.util.WeakIdentityMap;
import java.sql.Connection;
import java.sql.Statement;

/** What JDBC objects do not tell later: a prepared statement's SQL and a connection's URL. */
final class JdbcState {
  private static final String UNKNOWN = "";

  final WeakIdentityMap<Object, String> preparedSql = new WeakIdentityMap<>(50_000);
  private final WeakIdentityMap<Object, String> connectionUrls = new WeakIdentityMap<>(10_000);

  /**
   * The statement's connection URL, or null; read once per physical connection. A pool hands out
   * a new proxy per borrow (HikariCP does), so the proxy is unwrapped to the driver's connection
   * before the URL is looked up, and only that connection is remembered: asking every proxy for
   * its metadata would cost a metadata object per borrowed connection.
   */
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
      Connection physical = unwrap(connection);
      url = physical == connection ? null : connectionUrls.get(physical);
      if (url == null) {
        try {
          url = physical.getMetaData().getURL();
        } catch (Exception | LinkageError e) {
          url = null;
        }
        if (url == null) {
          url = UNKNOWN;
        }
        connectionUrls.put(physical, url);
      }
    }
    return url.isEmpty() ? null : url;
  }

  /** The connection a pool's proxy wraps (JDBC {@code Wrapper.unwrap}), else the connection. */
  static Connection unwrap(Connection connection) {
    try {
      if (connection.isWrapperFor(Connection.class)) {
        Connection inner = connection.unwrap(Connection.class);
        if (inner != null) {
          return inner;
        }
      }
    } catch (Exception | LinkageError e) {
      // a driver that does not implement Wrapper: the connection is its own key
    }
    return connection;
  }
}
