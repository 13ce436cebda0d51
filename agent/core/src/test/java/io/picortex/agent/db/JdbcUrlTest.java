package io.picortex.agent.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      nullValues = "NULL",
      textBlock =
          """
          jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1                                | h2database           | NULL          | NULL  | demo
          jdbc:h2:mem:                                                      | h2database           | NULL          | NULL  | NULL
          jdbc:h2:file:/data/demo;USER=sa;PASSWORD=secret                   | h2database           | NULL          | NULL  | /data/demo
          jdbc:h2:~/test                                                    | h2database           | NULL          | NULL  | ~/test
          jdbc:h2:file:C:/data/test                                         | h2database           | NULL          | NULL  | C:/data/test
          jdbc:h2:tcp://localhost:9092/~/test;USER=sa                       | h2database           | localhost     | 9092  | ~/test
          jdbc:h2:ssl://db.example/mem:shop                                 | h2database           | db.example    | NULL  | shop
          jdbc:postgresql://db.example:5433/shop?user=u&password=p          | postgresql           | db.example    | 5433  | shop
          jdbc:postgresql://db.example/shop                                 | postgresql           | db.example    | NULL  | shop
          jdbc:postgresql://h1:5432,h2:5433/shop?targetServerType=primary   | postgresql           | h1            | 5432  | shop
          jdbc:postgresql://[::1]:5432/shop                                 | postgresql           | ::1           | 5432  | shop
          jdbc:postgresql:shop                                              | postgresql           | NULL          | NULL  | shop
          jdbc:postgresql:/                                                 | postgresql           | NULL          | NULL  | NULL
          jdbc:postgresql://db.example                                      | postgresql           | db.example    | NULL  | NULL
          jdbc:mysql://u:p@db.example:3306/shop?useSSL=false                | mysql                | db.example    | 3306  | shop
          jdbc:mysql:loadbalance://h1:3306,h2:3306/shop                     | mysql                | h1            | 3306  | shop
          jdbc:mysql+srv://_mysql._tcp.example.com/shop                     | mysql                | _mysql._tcp.example.com | NULL | shop
          jdbc:mysql://address=(host=db.example)(port=3307)(user=u)/shop    | mysql                | db.example    | 3307  | shop
          jdbc:mariadb://db.example:3306/shop?user=u&password=p             | mariadb              | db.example    | 3306  | shop
          jdbc:oracle:thin:@//db.example:1521/ORCLPDB1                      | oracle.db            | db.example    | 1521  | ORCLPDB1
          jdbc:oracle:thin:@db.example:1521:ORCL                            | oracle.db            | db.example    | 1521  | ORCL
          jdbc:oracle:thin:scott/tiger@db.example:1521/svc                  | oracle.db            | db.example    | 1521  | svc
          jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora.example)(PORT=1522))(CONNECT_DATA=(SERVICE_NAME=sales))) | oracle.db | ora.example | 1522 | sales
          jdbc:oracle:thin:@tnsalias                                        | oracle.db            | NULL          | NULL  | NULL
          jdbc:sqlserver://sql.example:1433;databaseName=shop;user=sa;password=p | microsoft.sql_server | sql.example | 1433 | shop
          jdbc:sqlserver://;serverName=sql.example;portNumber=1444;databaseName=shop | microsoft.sql_server | sql.example | 1444 | shop
          jdbc:jtds:sqlserver://sql.example:1433/shop;user=sa               | microsoft.sql_server | sql.example   | 1433  | shop
          jdbc:sqlite:/var/data/app.db                                      | sqlite               | NULL          | NULL  | /var/data/app.db
          jdbc:sqlite::memory:                                              | sqlite               | NULL          | NULL  | NULL
          jdbc:sqlite:file:app.db?mode=memory                               | sqlite               | NULL          | NULL  | app.db
          jdbc:hsqldb:mem:testdb                                            | hsqldb               | NULL          | NULL  | testdb
          jdbc:hsqldb:hsql://localhost:9001/xdb;user=SA                     | hsqldb               | localhost     | 9001  | xdb
          jdbc:derby:memory:demo;create=true                                | derby                | NULL          | NULL  | demo
          jdbc:derby://db.example:1527/demo;user=app;password=p             | derby                | db.example    | 1527  | demo
          jdbc:db2://db2.example:50000/SAMPLE:user=u;password=p;            | ibm.db2              | db2.example   | 50000 | SAMPLE
          jdbc:p6spy:mysql://db.example:3306/shop                           | mysql                | db.example    | 3306  | shop
          jdbc:tc:postgresql:15:///shop                                     | postgresql           | NULL          | NULL  | NULL
          jdbc:clickhouse://ch.example:8123/default                         | other_sql            | ch.example    | 8123  | default
          jdbc:odbc:MyDsn                                                   | other_sql            | NULL          | NULL  | MyDsn
          JDBC:POSTGRESQL://DB.EXAMPLE:5432/Shop                            | postgresql           | DB.EXAMPLE    | 5432  | Shop
          """)
  void parsesSystemAddressPortAndNamespace(
      String url, String system, String address, Integer port, String namespace) {
    JdbcUrl parsed = JdbcUrl.parse(url);

    assertThat(parsed).isEqualTo(new JdbcUrl(system, address, port, namespace));
  }

  @Test
  void sqlServerNamespaceIsInstanceAndDatabase() {
    assertThat(JdbcUrl.parse("jdbc:sqlserver://sql.example\\INST:1435;database=shop"))
        .isEqualTo(new JdbcUrl("microsoft.sql_server", "sql.example", 1435, "INST|shop"));
    assertThat(JdbcUrl.parse("jdbc:sqlserver://sql.example;instanceName=INST;databaseName=shop"))
        .isEqualTo(new JdbcUrl("microsoft.sql_server", "sql.example", null, "INST|shop"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db.example:5433/shop?user=alice&password=hunter2",
        "jdbc:postgresql://db.example:5433/shop?password=hunter2&user=alice&ssl=true",
        "jdbc:mysql://alice:hunter2@db.example:3306/shop",
        "jdbc:mysql://address=(host=db.example)(user=alice)(password=hunter2)/shop",
        "jdbc:mysql://(host=db.example,user=alice,password=hunter2)/shop",
        "jdbc:oracle:thin:alice/hunter2@db.example:1521/svc",
        "jdbc:oracle:thin:alice/\"hun@ter2\"@//db.example:1521/svc",
        "jdbc:sqlserver://db.example;user=alice;password={hunter2;still}",
        "jdbc:sqlserver://db.example;userName=alice;PASSWORD=hunter2",
        "jdbc:h2:mem:demo;USER=alice;PASSWORD=hunter2",
        "jdbc:derby://db.example:1527/demo;user=alice;password=hunter2",
        "jdbc:db2://db.example:50000/SAMPLE:user=alice;password=hunter2;",
        "jdbc:postgresql://db.example/shop?sslpassword=hunter2&sslkey=alice",
        "jdbc:foo://db.example/x?uid=alice&pwd=hunter2",
        "jdbc:snowflake://acct.example/?private_key_secret=hunter2&token=hunter2&user=alice"
      })
  void neitherParseNorRedactExposeCredentials(String url) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    String redacted = JdbcUrl.redact(url);

    assertThat(parsed.toString())
        .doesNotContain("alice")
        .doesNotContain("hunter2")
        .doesNotContain("still");
    assertThat(redacted).doesNotContain("alice").doesNotContain("hunter2").doesNotContain("still");
  }

  @Test
  void redactKeepsEverythingButTheCredentials() {
    assertThat(JdbcUrl.redact("jdbc:postgresql://db.example:5433/shop?user=u&password=p&ssl=true"))
        .isEqualTo("jdbc:postgresql://db.example:5433/shop?ssl=true");
    assertThat(JdbcUrl.redact("jdbc:postgresql://db.example:5433/shop?ssl=true&user=u&password=p"))
        .isEqualTo("jdbc:postgresql://db.example:5433/shop?ssl=true");
    assertThat(JdbcUrl.redact("jdbc:postgresql://db.example:5433/shop?user=u&password=p"))
        .isEqualTo("jdbc:postgresql://db.example:5433/shop");
    assertThat(JdbcUrl.redact("jdbc:mysql://u:p@db.example:3306/shop"))
        .isEqualTo("jdbc:mysql://db.example:3306/shop");
    assertThat(JdbcUrl.redact("jdbc:h2:mem:demo;USER=sa;PASSWORD=x;DB_CLOSE_DELAY=-1"))
        .isEqualTo("jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1");
    assertThat(JdbcUrl.redact("jdbc:oracle:thin:scott/tiger@//db.example:1521/svc"))
        .isEqualTo("jdbc:oracle:thin:@//db.example:1521/svc");
    assertThat(JdbcUrl.redact("jdbc:sqlserver://h;databaseName=shop;password={a;b};encrypt=true"))
        .isEqualTo("jdbc:sqlserver://h;databaseName=shop;encrypt=true");
  }

  @Test
  void redactLeavesUrlsWithoutCredentialsAlone() {
    String url = "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))";

    assertThat(JdbcUrl.redact(url)).isEqualTo(url);
    assertThat(JdbcUrl.redact("jdbc:h2:mem:demo")).isEqualTo("jdbc:h2:mem:demo");
    assertThat(JdbcUrl.redact(null)).isNull();
  }

  @Test
  void nullEmptyAndNonJdbcInputGiveOtherSqlAndNothingElse() {
    JdbcUrl unknown = new JdbcUrl("other_sql", null, null, null);

    assertThat(JdbcUrl.parse(null)).isEqualTo(unknown);
    assertThat(JdbcUrl.parse("")).isEqualTo(unknown);
    assertThat(JdbcUrl.parse("jdbc:")).isEqualTo(unknown);
    assertThat(JdbcUrl.parse("https://user:pw@example.com/")).isEqualTo(unknown);
  }

  @Test
  void invalidPortsAreIgnored() {
    assertThat(JdbcUrl.parse("jdbc:postgresql://h:99999/db").serverPort()).isNull();
    assertThat(JdbcUrl.parse("jdbc:postgresql://h:abc/db").serverPort()).isNull();
    assertThat(JdbcUrl.parse("jdbc:postgresql://h:0/db").serverPort()).isNull();
  }

  @Test
  void malformedUrlsNeverThrow() {
    String[] urls = {
      "jdbc:oracle:thin:@",
      "jdbc:oracle:thin:@//",
      "jdbc:oracle:thin:@:",
      "jdbc:oracle:",
      "jdbc:sqlserver:",
      "jdbc:sqlserver://\\",
      "jdbc:postgresql://",
      "jdbc:postgresql://[",
      "jdbc:mysql://address=(",
      "jdbc:h2:tcp://",
      "jdbc:jtds:",
      "jdbc:h2:",
      "jdbc:x",
      "jdbc:::::",
      "jdbc:postgresql://h?password",
      "jdbc:h2:mem:a;password=",
      "jdbc:sqlserver://h;password={"
    };
    for (String url : urls) {
      assertThat(JdbcUrl.parse(url).dbSystemName()).as(url).isNotNull();
      assertThat(JdbcUrl.redact(url)).as(url).isNotNull();
    }
  }

  @Test
  void veryLongNamesAreBounded() {
    JdbcUrl parsed = JdbcUrl.parse("jdbc:postgresql://" + "h".repeat(10_000) + "/db");

    assertThat(parsed.serverAddress()).hasSizeLessThanOrEqualTo(256);
  }
}
