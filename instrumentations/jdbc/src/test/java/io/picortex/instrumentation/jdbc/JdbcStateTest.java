package io.picortex.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdbcStateTest {
  private static final String URL = "jdbc:h2:mem:jdbcstate;DB_CLOSE_DELAY=-1";

  @Test
  void aConnectionFromAPoolIsUnwrappedToTheDriversConnection() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(URL);
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Connection physical;
      try (Connection borrowed = pool.getConnection()) {
        physical = JdbcState.unwrap(borrowed);
        assertThat(physical).isNotSameAs(borrowed);
        assertThat(physical.getClass().getName()).startsWith("org.h2.");
      }
      try (Connection again = pool.getConnection()) {
        assertThat(JdbcState.unwrap(again)).as("one physical connection in this pool")
            .isSameAs(physical);
      }
    }
  }

  @Test
  void theUrlIsReadOncePerPhysicalConnectionNotOncePerBorrow() throws Exception {
    JdbcState state = new JdbcState();
    AtomicInteger proxyMetadataCalls = new AtomicInteger();
    AtomicInteger driverMetadataCalls = new AtomicInteger();
    try (Connection real = DriverManager.getConnection(URL)) {
      Connection physical = counting(real, driverMetadataCalls);
      for (int borrow = 0; borrow < 5; borrow++) {
        Connection proxy = poolProxy(physical, proxyMetadataCalls);
        try (Statement statement = statementOf(proxy, real.createStatement())) {
          assertThat(state.url(statement)).isEqualTo("jdbc:h2:mem:jdbcstate");
        }
      }
      assertThat(proxyMetadataCalls).as("getMetaData on a borrowed proxy").hasValue(0);
      assertThat(driverMetadataCalls).as("getMetaData on the driver's connection").hasValue(1);
    }
  }

  @Test
  void aDriverWhoseMetadataFailsGivesNoUrlAndIsNotAskedAgain() throws Exception {
    JdbcState state = new JdbcState();
    AtomicInteger calls = new AtomicInteger();
    try (Connection real = DriverManager.getConnection(URL)) {
      Connection broken = (Connection) Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (p, m, a) -> {
            if (m.getName().equals("getMetaData")) {
              calls.incrementAndGet();
              throw new java.sql.SQLException("no metadata");
            }
            if (m.getName().equals("isWrapperFor")) {
              return false;
            }
            return m.invoke(real, a);
          });
      Statement statement = statementOf(broken, real.createStatement());
      assertThat(state.url(statement)).isNull();
      assertThat(state.url(statement)).isNull();
      assertThat(calls).hasValue(1);
    }
  }

  /** The driver's connection, counting getMetaData calls; it wraps nothing. */
  private static Connection counting(Connection real, AtomicInteger metadataCalls) {
    return (Connection) Proxy.newProxyInstance(
        JdbcStateTest.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, a) -> {
          switch (m.getName()) {
            case "getMetaData":
              metadataCalls.incrementAndGet();
              return real.getMetaData();
            case "isWrapperFor":
              return false;
            default:
              return m.invoke(real, a);
          }
        });
  }

  /** What a pool hands out: a new proxy per borrow that unwraps to the driver's connection. */
  private static Connection poolProxy(Connection physical, AtomicInteger metadataCalls) {
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(physical);
        case "unwrap":
          return physical;
        case "getMetaData":
          metadataCalls.incrementAndGet();
          return physical.getMetaData();
        case "close":
          return null; // back to the pool
        default:
          return method.invoke(physical, args);
      }
    };
    return (Connection) Proxy.newProxyInstance(
        JdbcStateTest.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  /** A statement whose getConnection() answers {@code connection}, as a pool's statement does. */
  private static Statement statementOf(Connection connection, Statement real) {
    return (Statement) Proxy.newProxyInstance(
        JdbcStateTest.class.getClassLoader(), new Class<?>[] {Statement.class},
        (p, m, a) -> m.getName().equals("getConnection") ? connection : m.invoke(real, a));
  }
}
