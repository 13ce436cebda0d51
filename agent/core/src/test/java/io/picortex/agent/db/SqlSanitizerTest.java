package io.picortex.agent.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlSanitizerTest {

  // ---- sanitize ------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      textBlock =
          """
          SELECT * FROM users WHERE name = 'bob'                    | SELECT * FROM users WHERE name = ?
          SELECT * FROM users WHERE name = 'O''Brien' AND id = 7    | SELECT * FROM users WHERE name = ? AND id = ?
          SELECT * FROM t WHERE a = 'x\\' AND b = 1' AND c = 2      | SELECT * FROM t WHERE a = ? AND c = ?
          SELECT '' FROM t                                          | SELECT ? FROM t
          INSERT INTO t (a, b) VALUES ('x', 'y')                    | INSERT INTO t (a, b) VALUES (?, ?)
          SELECT 1                                                  | SELECT ?
          SELECT 3.14, .5, 6., 1e10, 2.5E-3, 7e+2                   | SELECT ?, ?, ?, ?, ?, ?
          SELECT 0xDEADBEEF, 0x1f                                   | SELECT ?, ?
          SELECT X'0AFF', B'1010', N'unicode', E'tab\\'s'            | SELECT ?, ?, ?, ?
          SELECT * FROM t1 JOIN col_2 ON t1.c3 = col_2.c4           | SELECT * FROM t1 JOIN col_2 ON t1.c3 = col_2.c4
          SELECT * FROM t WHERE x = -5                              | SELECT * FROM t WHERE x = ?
          SELECT * FROM t WHERE x = (-5) OR y IN (-1, -2.5)         | SELECT * FROM t WHERE x = (?) OR y IN (?, ?)
          SELECT a-1, a - 1, 5-3 FROM t                             | SELECT a-?, a - ?, ?-? FROM t
          SELECT * FROM t WHERE id IN (1, 2, 3)                     | SELECT * FROM t WHERE id IN (?, ?, ?)
          SELECT * FROM t WHERE id IN (?, ?, ?)                     | SELECT * FROM t WHERE id IN (?, ?, ?)
          SELECT * FROM t WHERE a = TRUE AND b IS NOT NULL          | SELECT * FROM t WHERE a = TRUE AND b IS NOT NULL
          SELECT "Weird Name", `back tick` FROM "Schema"."T1"       | SELECT "Weird Name", `back tick` FROM "Schema"."T1"
          SELECT "say ""hi""\" FROM t                                | SELECT "say ""hi""\" FROM t
          SELECT a FROM t -- where password = 'x'                   | SELECT a FROM t
          SELECT a /* secret 42 */ FROM t                           | SELECT a FROM t
          SELECT a/*x*/FROM t                                       | SELECT a FROM t
          SELECT a FROM t WHERE b = 'it''s -- not a comment'        | SELECT a FROM t WHERE b = ?
          SELECT a FROM t WHERE b = '/* not a comment */'           | SELECT a FROM t WHERE b = ?
          SELECT a FROM t /* it's a comment */ WHERE b = 1          | SELECT a FROM t WHERE b = ?
          SELECT $$secret body$$, $fn$ it's $$ nested $fn$ FROM t   | SELECT ?, ? FROM t
          SELECT * FROM v$session WHERE sid = 10                    | SELECT * FROM v$session WHERE sid = ?
          SELECT * FROM t WHERE a = $1 AND b = $2                   | SELECT * FROM t WHERE a = $? AND b = $?
          SELECT * FROM t WHERE a = :name AND b = @var              | SELECT * FROM t WHERE a = :name AND b = @var
          SELECT q'[it's a secret]', nq'{x}' FROM dual              | SELECT ?, ? FROM dual
          SELECT date '2024-01-01', INTERVAL '1 day'                | SELECT date ?, INTERVAL ?
          SELECT 10L, 0b101, 123abc FROM t                          | SELECT ?, ?, ? FROM t
          SELECT * FROM t WHERE a = 'unterminated secret AND b = 1  | SELECT * FROM t WHERE a = ?
          SELECT * FROM t WHERE a = $$unterminated secret           | SELECT * FROM t WHERE a = ?
          SELECT a FROM t /* unterminated comment 'secret'          | SELECT a FROM t
          select a from t where b = 'x'                             | select a from t where b = ?
          SELECT a FROM t WHERE ä = 'ü' AND ö2 = 3                  | SELECT a FROM t WHERE ä = ? AND ö2 = ?
          """)
  void replacesLiteralsAndDropsComments(String sql, String expected) {
    assertThat(SqlSanitizer.sanitize(sql)).isEqualTo(expected);
  }

  @Test
  void collapsesWhiteSpaceIncludingNewlinesAndTrims() {
    assertThat(SqlSanitizer.sanitize("  SELECT a,\n\t b\r\n  FROM   t  "))
        .isEqualTo("SELECT a, b FROM t");
  }

  @Test
  void dropsLineCommentsUpToTheLineBreakOnly() {
    assertThat(SqlSanitizer.sanitize("SELECT a -- password 'x'\nFROM t -- 42\r\nWHERE b = 1"))
        .isEqualTo("SELECT a FROM t WHERE b = ?");
  }

  @Test
  void returnsAlreadyCleanTextWithoutCopyingIt() {
    String sql = "SELECT id, name FROM greetings WHERE id = ? AND t1.c = col_2";

    assertThat(SqlSanitizer.sanitize(sql)).isSameAs(sql);
  }

  @Test
  void neverLeaksTheLiteralOfAnUnterminatedString() {
    String sanitized = SqlSanitizer.sanitize("UPDATE t SET pw = 'hunter2 WHERE id = 1");

    assertThat(sanitized).isEqualTo("UPDATE t SET pw = ?").doesNotContain("hunter2");
  }

  @Test
  void nullStaysNullAndEmptyStaysEmpty() {
    assertThat(SqlSanitizer.sanitize(null)).isNull();
    assertThat(SqlSanitizer.sanitize("")).isEmpty();
    assertThat(SqlSanitizer.sanitize("   ")).isEmpty();
  }

  @Test
  void outputIsBoundedAndNeverCutsALiteralInHalf() {
    StringBuilder sql = new StringBuilder("INSERT INTO t VALUES (");
    for (int i = 0; i < 5_000; i++) {
      sql.append("'secret").append(i).append("', ");
    }
    sql.append("1)");

    String sanitized = SqlSanitizer.sanitize(sql.toString());

    assertThat(sanitized).hasSize(SqlSanitizer.MAX_LENGTH).doesNotContain("secret");
  }

  @Test
  void aHugeIdentifierIsCutAtTheBound() {
    String sql = "SELECT " + "x".repeat(100_000) + " FROM t";

    assertThat(SqlSanitizer.sanitize(sql))
        .hasSize(SqlSanitizer.MAX_LENGTH)
        .startsWith("SELECT xxx");
  }

  @Test
  void controlCharactersBecomeSpaces() {
    assertThat(SqlSanitizer.sanitize("SELECT\u0000a\u001bFROM\u0007t"))
        .isEqualTo("SELECT a FROM t");
  }

  @ParameterizedTest
  @CsvSource({"mysql", "postgresql", "h2database", "microsoft.sql_server", "other_sql"})
  void randomStatementsNeverLeakALiteral(String dialect) {
    boolean backslashes = dialect.equals("mysql") || dialect.equals("other_sql");
    String[] literals = {
      "'SECRET'",
      "'SE''CRET'",
      "'x -- SECRET'",
      "'/* SECRET */'",
      "'SECRET\"'",
      "N'SECRET'",
      "X'5EC2E7'",
      "$$SECRET$$",
      "$t$ SECRET 'x' $t$",
      "42",
      "-7",
      "3.5e-2",
      "0xFF",
      ".5",
      backslashes ? "'SE\\'CRET'" : "'SECRET\\'",
      backslashes ? "'\\\\SECRET'" : "E'SE\\'CRET'"
    };
    String[] others = {
      "SELECT",
      "a",
      "t1",
      "col_2",
      ",",
      "(",
      ")",
      "=",
      "-",
      "+",
      "*",
      " ",
      "\n",
      "\"id\"",
      "`id`",
      "-- x 'y'\n",
      "/* x 'y' */",
      "?",
      ":p",
      "IN",
      "WHERE",
      ".",
      "v$x",
      "NULL"
    };
    java.util.Random random = new java.util.Random(dialect.hashCode());
    for (int n = 0; n < 2_000; n++) {
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        String[] pool = random.nextInt(3) == 0 ? literals : others;
        // Fragments are separated, as gluing them (t1E'x') would change what the text means.
        sql.append(pool[random.nextInt(pool.length)]).append(random.nextBoolean() ? " " : "\t");
      }
      String sanitized = SqlSanitizer.sanitize(sql.toString(), dialect);

      assertThat(sanitized)
          .as(sql.toString())
          .doesNotContain("SECRET")
          .doesNotContain("CRET")
          .doesNotContainPattern("(?<![A-Za-z_$0-9])[0-9]");
    }
  }

  // ---- dialects ------------------------------------------------------------------------------

  @Test
  void mysqlTreatsDoubleQuotesAsStringsAndHashAsComment() {
    assertThat(
            SqlSanitizer.sanitize(
                "SELECT * FROM t WHERE a = \"bob\" # secret 'x'\nAND b = 'c\\'d'", "mysql"))
        .isEqualTo("SELECT * FROM t WHERE a = ? AND b = ?");
    assertThat(SqlSanitizer.sanitize("SELECT \"x\\\"y\" FROM t", "mariadb"))
        .isEqualTo("SELECT ? FROM t");
  }

  @Test
  void postgresqlStringsEndAtTheFirstUnescapedQuoteEvenAfterABackslash() {
    // standard_conforming_strings: 'C:\' is a complete literal
    assertThat(
            SqlSanitizer.sanitize("SELECT * FROM t WHERE p = 'C:\\' AND n = 'bob'", "postgresql"))
        .isEqualTo("SELECT * FROM t WHERE p = ? AND n = ?");
  }

  @Test
  void postgresqlEscapeStringsStillHonourBackslashes() {
    assertThat(SqlSanitizer.sanitize("SELECT E'it\\'s secret', 'x' FROM t", "postgresql"))
        .isEqualTo("SELECT ?, ? FROM t");
  }

  @Test
  void postgresqlBlockCommentsNest() {
    assertThat(
            SqlSanitizer.sanitize(
                "SELECT a /* outer /* inner */ still secret */ FROM t", "postgresql"))
        .isEqualTo("SELECT a FROM t");
  }

  @Test
  void postgresqlKeepsDoubleQuotedIdentifiersAndHashOperator() {
    assertThat(SqlSanitizer.sanitize("SELECT \"Name\", a # b FROM \"Greetings\"", "postgresql"))
        .isEqualTo("SELECT \"Name\", a # b FROM \"Greetings\"");
  }

  @Test
  void sqlServerKeepsBracketedIdentifiersEvenWithQuotesInside() {
    assertThat(
            SqlSanitizer.sanitize(
                "SELECT [it's], [a]]b] FROM #temp WHERE x = N'secret'", "microsoft.sql_server"))
        .isEqualTo("SELECT [it's], [a]]b] FROM #temp WHERE x = ?");
  }

  @Test
  void withoutBracketSupportBracketsAreArraySubscripts() {
    assertThat(SqlSanitizer.sanitize("SELECT arr[1], ARRAY['secret'] FROM t", "postgresql"))
        .isEqualTo("SELECT arr[?], ARRAY[?] FROM t");
  }

  @Test
  void standardDialectsUseDoubledQuotesOnly() {
    assertThat(SqlSanitizer.sanitize("SELECT 'a\\', 'b''c' FROM t", "h2database"))
        .isEqualTo("SELECT ?, ? FROM t");
  }

  @Test
  void unknownDialectNameFallsBackToTheDefault() {
    assertThat(SqlSanitizer.sanitize("SELECT 'a\\'b' FROM t", "something"))
        .isEqualTo(SqlSanitizer.sanitize("SELECT 'a\\'b' FROM t"))
        .isEqualTo("SELECT ? FROM t");
    assertThat(SqlSanitizer.sanitize("SELECT 'a\\'b' FROM t", null)).isEqualTo("SELECT ? FROM t");
  }

  // ---- operation -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      nullValues = "NULL",
      textBlock =
          """
          SELECT * FROM t                          | SELECT
          select * from t                          | SELECT
          insert into t values (1)                 | INSERT
          Update t set a = 1                       | UPDATE
          DELETE FROM t                            | DELETE
          call proc(?)                             | CALL
          {call proc(?)}                           | CALL
          { ? = call fn(?) }                       | CALL
          WITH x AS (SELECT 1) SELECT * FROM x     | WITH
          (SELECT 1) UNION (SELECT 2)              | SELECT
          /* hint */ -- line\\n  SELECT 1          | SELECT
          merge into t using s on (1=1)            | MERGE
          vacuum                                   | VACUUM
          '  '                                     | NULL
          123                                      | NULL
          select1 from t                           | NULL
          """)
  void operationIsTheFirstKeywordUpperCased(String sql, String expected) {
    assertThat(SqlSanitizer.operation(sql.replace("\\n", "\n").replace("'  '", "  ")))
        .isEqualTo(expected);
  }

  @Test
  void operationOfNullOrEmptyIsNull() {
    assertThat(SqlSanitizer.operation(null)).isNull();
    assertThat(SqlSanitizer.operation("")).isNull();
    assertThat(SqlSanitizer.operation("-- only a comment")).isNull();
  }

  @Test
  void knownOperationsAreReturnedWithoutAllocating() {
    assertThat(SqlSanitizer.operation("select 1")).isSameAs(SqlSanitizer.operation("SELECT 2"));
  }

  // ---- collection ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      nullValues = "NULL",
      textBlock =
          """
          SELECT * FROM greetings                                        | greetings
          SELECT id, name FROM greetings WHERE id = ?                    | greetings
          select a from shop.orders o where o.id = 1                     | shop.orders
          SELECT a FROM "My Table" AS t WHERE x = 1                      | "My Table"
          SELECT a FROM `db`.`t`                                         | `db`.`t`
          SELECT (SELECT max(b) FROM other) FROM main_t                  | main_t
          SELECT EXTRACT(YEAR FROM d) FROM events                        | events
          SELECT /* FROM fake */ a FROM real_t                           | real_t
          SELECT 'FROM fake' FROM real_t                                 | real_t
          SELECT a FROM t1 JOIN t2 ON t1.id = t2.id                      | NULL
          SELECT a FROM t1 x LEFT JOIN t2 y ON x.id = y.id               | NULL
          SELECT a FROM t1, t2                                           | NULL
          SELECT a FROM (SELECT b FROM t) sub                            | NULL
          SELECT * FROM generate_series(1, 10)                           | NULL
          SELECT 1                                                       | NULL
          SELECT 1; SELECT a FROM t                                      | NULL
          INSERT INTO greetings (id, text) VALUES (?, ?)                 | greetings
          insert into greetings(id) values (1)                           | greetings
          INSERT IGNORE INTO logs VALUES (1)                             | logs
          INSERT OR REPLACE INTO kv VALUES (1)                           | kv
          UPDATE greetings SET text = ? WHERE id = ?                     | greetings
          UPDATE ONLY parent SET a = 1                                   | parent
          DELETE FROM greetings WHERE id = ?                             | greetings
          DELETE greetings WHERE id = 1                                  | NULL
          MERGE INTO target t USING source s ON (t.id = s.id)            | target
          WITH x AS (SELECT 1) SELECT * FROM x                           | NULL
          CREATE TABLE t (id INT)                                        | NULL
          """)
  void collectionIsTheMainTableOfSimpleStatements(String sql, String expected) {
    assertThat(SqlSanitizer.collection(sql)).isEqualTo(expected);
  }

  @Test
  void collectionOfNullOrGarbageIsNull() {
    assertThat(SqlSanitizer.collection(null)).isNull();
    assertThat(SqlSanitizer.collection("")).isNull();
    assertThat(SqlSanitizer.collection("SELECT a FROM")).isNull();
    assertThat(SqlSanitizer.collection("SELECT a FROM t AS")).isEqualTo("t");
    assertThat(SqlSanitizer.collection("DELETE FROM")).isNull();
    assertThat(SqlSanitizer.collection("SELECT a FROM \"unterminated")).isNull();
  }

  @Test
  void collectionNameIsBounded() {
    String longName = "t".repeat(SqlSanitizer.MAX_COLLECTION_LENGTH + 1);

    assertThat(SqlSanitizer.collection("SELECT a FROM " + longName)).isNull();
  }
}
