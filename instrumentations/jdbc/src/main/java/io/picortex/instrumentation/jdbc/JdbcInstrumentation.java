package io.picortex.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Instrumenter;

/**
 * JDBC, for any driver: executions of {@code java.sql.Statement} implementations are spans, and
 * the SQL of a {@code PreparedStatement} is remembered when a {@code Connection} prepares it. A
 * pool's wrapper delegating to the driver's statement is one span (shared call depth).
 *
 * <p>Class names are checked first ({@code Statement}/{@code Connection} in the name, as every
 * common driver and pool names them: H2, PostgreSQL, MySQL, MariaDB, Oracle, SQL Server, SQLite,
 * HSQLDB, Derby, HikariCP, DBCP, c3p0): ByteBuddy reads a name without parsing the class, while
 * resolving the supertypes of every class the application loads cost over a second of start-up.
 */
public final class JdbcInstrumentation implements InstrumentationModule {

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public void instrument(Instrumenter instrumenter, Handlers handlers) {
    JdbcState state = new JdbcState();
    CallDepth depth = new CallDepth();
    instrumenter
        .subtypesOf("java.sql.Connection", "Connection")
        .advise(
            isPublic()
                .and(namedOneOf("prepareStatement", "prepareCall"))
                .and(takesArgument(0, String.class)),
            PrepareAdvice.class,
            new PrepareHook(state));
    instrumenter
        .subtypesOf("java.sql.Statement", "Statement")
        .advise(
            isPublic()
                .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                .and(takesArgument(0, String.class)),
            ExecuteSqlAdvice.class,
            new ExecuteHook(handlers.db(), state, depth))
        .advise(
            isPublic()
                .and(namedOneOf(
                    "execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
                    "executeBatch", "executeLargeBatch"))
                .and(takesArguments(0))
                .and(not(returns(void.class))),
            ExecutePreparedAdvice.class,
            new ExecuteHook(handlers.db(), state, depth));
  }
}
