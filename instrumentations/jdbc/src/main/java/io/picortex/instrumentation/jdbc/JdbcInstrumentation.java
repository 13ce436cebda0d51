package io.picortex.instrumentation.jdbc;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.install.InstrumentationModule;
import io.picortex.agent.install.Advice;
import io.picortex.agent.install.Instrumenter;
import io.picortex.agent.install.Methods;

/**
 * JDBC, for any driver: executions of {@code java.sql.Statement} implementations are spans, and
 * the SQL of a {@code PreparedStatement} is remembered when a {@code Connection} prepares it. A
 * pool's wrapper delegating to the driver's statement is one span (shared call depth).
 *
 * <p>Class names are checked first ({@code Statement}/{@code Connection} in the name, as every
 * common driver and pool names them: H2, PostgreSQL, MySQL, MariaDB, Oracle, SQL Server, SQLite,
 * HSQLDB, Derby, HikariCP, DBCP, c3p0): the transformer tests a name without reading the class,
 * while resolving the supertypes of every class the application loads cost over a second of
 * start-up.
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
            Methods.named("prepareStatement", "prepareCall")
                .isPublic()
                .takesArgument(0, "java.lang.String"),
            Advice.onEnter(Advice.THIS, Advice.argument(0)).onExit(Advice.THIS, Advice.RETURNED),
            new PrepareHook(state));
    instrumenter
        .subtypesOf("java.sql.Statement", "Statement")
        .advise(
            Methods.named("execute", "executeQuery", "executeUpdate", "executeLargeUpdate")
                .isPublic()
                .takesArgument(0, "java.lang.String"),
            Advice.onEnter(Advice.THIS, Advice.argument(0)).onExit(Advice.THIS, Advice.NOTHING),
            new ExecuteHook(handlers.db(), state, depth))
        .advise(
            Methods.named(
                    "execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
                    "executeBatch", "executeLargeBatch")
                .isPublic()
                .takesArguments(0)
                .returnsSomething(),
            Advice.onEnter(Advice.THIS, Advice.NOTHING).onExit(Advice.THIS, Advice.NOTHING),
            new ExecuteHook(handlers.db(), state, depth));
  }
}
