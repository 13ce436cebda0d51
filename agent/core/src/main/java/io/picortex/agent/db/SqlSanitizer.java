package io.picortex.agent.db;

import java.util.Locale;

/**
 * Turns SQL text into something safe to record: every literal becomes {@code ?}, comments are
 * dropped, white space is collapsed, the result is bounded. Also names the operation and, for
 * simple statements, the main table, for span names such as {@code SELECT greetings}.
 *
 * <p>One hand-written pass over the characters, no regular expressions and no exceptions. The
 * rules, in the order they apply at each position:
 *
 * <ul>
 *   <li>{@code -- ...} to the end of the line and {@code /* ... *}{@code /} are dropped (they can
 *       hold anything, secrets included); an unterminated block comment drops the rest.
 *   <li>{@code '...'} (with {@code ''} escapes, and {@code \'} escapes where the dialect has them),
 *       {@code N'...'}, {@code E'...'}, {@code X'...'}, {@code B'...'}, Oracle {@code q'[...]'} and
 *       PostgreSQL {@code $$...$$} / {@code $tag$...$tag$} each become one {@code ?}. An
 *       unterminated literal swallows the rest of the text: better lose the tail of a query than
 *       leak part of a value.
 *   <li>Numbers (integers, decimals, exponents, {@code 0x..} hex) become {@code ?}; a minus sign
 *       that can only be unary (after {@code (}, {@code ,}, {@code =}, another operator, or at the
 *       start) is folded into it. Digits inside identifiers ({@code t1}, {@code col_2}) are kept.
 *   <li>Identifiers, keywords ({@code TRUE}, {@code NULL}...), {@code "quoted"} and {@code
 *       `quoted`} identifiers and everything else are kept as written.
 * </ul>
 *
 * <p>Without a dialect ({@link #sanitize(String)}) a backslash escapes the next character inside a
 * string, as in MySQL. Callers that know the database should use {@link #sanitize(String, String)}
 * with the {@code db.system.name}: MySQL and MariaDB then also treat {@code "..."} as a string and
 * {@code #} as a comment, PostgreSQL gets nested comments and standard strings (no backslash
 * escapes outside {@code E'...'}), SQL Server and SQLite get {@code [bracketed]} identifiers.
 */
public final class SqlSanitizer {

  /** Longest sanitized text returned; longer results are cut (never inside a literal). */
  public static final int MAX_LENGTH = 4096;

  /**
   * How far {@link #collection} looks for the table name. Its result is a best effort for a span
   * name; scanning megabytes for it is not worth it.
   */
  static final int MAX_COLLECTION_SCAN = 16 * 1024;

  /** Longest table name {@link #collection} returns. */
  static final int MAX_COLLECTION_LENGTH = 128;

  // Dialect features, as bits.
  private static final int BACKSLASH_ESCAPES = 1;
  private static final int DOUBLE_QUOTED_STRINGS = 1 << 1;
  private static final int HASH_COMMENTS = 1 << 2;
  private static final int NESTED_COMMENTS = 1 << 3;
  private static final int BRACKET_IDENTIFIERS = 1 << 4;

  private static final int UNKNOWN_DIALECT = BACKSLASH_ESCAPES;
  private static final int STANDARD_DIALECT = 0;
  private static final int MYSQL_DIALECT =
      BACKSLASH_ESCAPES | DOUBLE_QUOTED_STRINGS | HASH_COMMENTS;
  private static final int POSTGRESQL_DIALECT = NESTED_COMMENTS;
  private static final int BRACKET_DIALECT = BRACKET_IDENTIFIERS;

  /** Operation names returned without allocating (the common first keywords). */
  private static final String[] OPERATIONS = {
    "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "WITH", "EXEC", "EXECUTE",
    "VALUES", "REPLACE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE", "SET", "SHOW",
    "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "GRANT", "REVOKE", "LOCK", "USE"
  };

  /** Longest first word {@link #operation} accepts as a keyword. */
  private static final int MAX_OPERATION_LENGTH = 32;

  private static final String[] JOIN_WORDS = {
    "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "OUTER", "STRAIGHT_JOIN"
  };

  /** Words that may follow a table name and are not an alias. */
  private static final String[] CLAUSE_WORDS = {
    "WHERE",
    "GROUP",
    "ORDER",
    "LIMIT",
    "HAVING",
    "UNION",
    "INTERSECT",
    "EXCEPT",
    "MINUS",
    "FETCH",
    "OFFSET",
    "FOR",
    "WINDOW",
    "ON",
    "USING",
    "SET",
    "VALUES",
    "RETURNING",
    "WITH"
  };

  /** Modifiers that may stand between the operation and the table name. */
  private static final String[] MODIFIER_WORDS = {
    "LOW_PRIORITY",
    "HIGH_PRIORITY",
    "DELAYED",
    "IGNORE",
    "QUICK",
    "ONLY",
    "TOP",
    "OR",
    "REPLACE",
    "ABORT",
    "FAIL",
    "ROLLBACK"
  };

  private SqlSanitizer() {}

  /** {@code sql} with its literals and comments replaced, for a database of unknown dialect. */
  public static String sanitize(String sql) {
    return sanitize(sql, UNKNOWN_DIALECT);
  }

  /**
   * {@code sql} with its literals and comments replaced, using the quoting rules of the database
   * named by {@code dbSystemName} (a {@code db.system.name} value such as {@link
   * JdbcUrl#dbSystemName()}; {@code null} or an unknown name gives {@link #sanitize(String)}).
   */
  public static String sanitize(String sql, String dbSystemName) {
    return sanitize(sql, dialect(dbSystemName));
  }

  private static int dialect(String dbSystemName) {
    if (dbSystemName == null) {
      return UNKNOWN_DIALECT;
    }
    switch (dbSystemName) {
      case JdbcUrl.MYSQL:
      case JdbcUrl.MARIADB:
        return MYSQL_DIALECT;
      case JdbcUrl.POSTGRESQL:
        return POSTGRESQL_DIALECT;
      case JdbcUrl.MICROSOFT_SQL_SERVER:
      case JdbcUrl.SQLITE:
        return BRACKET_DIALECT;
      case JdbcUrl.H2DATABASE:
      case JdbcUrl.ORACLE_DB:
      case JdbcUrl.HSQLDB:
      case JdbcUrl.DERBY:
      case JdbcUrl.IBM_DB2:
        return STANDARD_DIALECT;
      default:
        return UNKNOWN_DIALECT;
    }
  }

  private static String sanitize(String sql, int dialect) {
    if (sql == null) {
      return null;
    }
    if (isAlreadyClean(sql, dialect)) {
      return sql; // the common prepared statement: nothing to replace, nothing to allocate
    }
    int length = sql.length();
    StringBuilder out = new StringBuilder(Math.min(length, MAX_LENGTH) + 16);
    boolean pendingSpace = false;
    int i = 0;
    while (i < length && out.length() < MAX_LENGTH) {
      char c = sql.charAt(i);
      char next = i + 1 < length ? sql.charAt(i + 1) : 0;

      if (c <= ' ') { // any white space or control character collapses into one space
        pendingSpace = out.length() > 0;
        i++;
        continue;
      }
      if ((c == '-' && next == '-') || (c == '#' && (dialect & HASH_COMMENTS) != 0)) {
        i = endOfLine(sql, i);
        pendingSpace = out.length() > 0;
        continue;
      }
      if (c == '/' && next == '*') {
        i = endOfBlockComment(sql, i + 2, (dialect & NESTED_COMMENTS) != 0);
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }

      if (c == '\'') {
        i = endOfQuoted(sql, i + 1, '\'', (dialect & BACKSLASH_ESCAPES) != 0);
        out.append('?');
      } else if (c == '"') {
        if ((dialect & DOUBLE_QUOTED_STRINGS) != 0) {
          i = endOfQuoted(sql, i + 1, '"', (dialect & BACKSLASH_ESCAPES) != 0);
          out.append('?');
        } else {
          i = copy(sql, i, endOfQuoted(sql, i + 1, '"', false), out);
        }
      } else if (c == '`') {
        i = copy(sql, i, endOfQuoted(sql, i + 1, '`', false), out);
      } else if (c == '[' && (dialect & BRACKET_IDENTIFIERS) != 0) {
        i = copy(sql, i, endOfQuoted(sql, i + 1, ']', false), out);
      } else if (c == '$') {
        int tagEnd = dollarTagEnd(sql, i);
        if (tagEnd < 0) {
          out.append('$'); // a parameter such as $1 or part of a money literal: digits follow
          i++;
        } else {
          i = endOfDollarQuoted(sql, i, tagEnd);
          out.append('?');
        }
      } else if (isDigit(c) || (c == '.' && isDigit(next) && !followsIdentifier(sql, i))) {
        i = endOfNumber(sql, i);
        out.append('?');
      } else if (c == '-'
          && (isDigit(next) || (next == '.' && isDigit(charAt(sql, i + 2))))
          && isUnaryPosition(out)) {
        i = endOfNumber(sql, i + 1);
        out.append('?');
      } else if (isIdentifierStart(c)) {
        int end = endOfIdentifier(sql, i);
        int literalEnd = endOfPrefixedLiteral(sql, i, end, dialect);
        if (literalEnd >= 0) {
          i = literalEnd;
          out.append('?');
        } else {
          i = copy(sql, i, end, out);
        }
      } else {
        out.append(c);
        i++;
      }
    }
    if (out.length() > MAX_LENGTH) {
      out.setLength(MAX_LENGTH);
    }
    return out.toString();
  }

  /**
   * Whether {@link #sanitize} would return {@code sql} unchanged. Conservative: it may say no for
   * text that would come out the same, never yes for text that would change.
   */
  private static boolean isAlreadyClean(String sql, int dialect) {
    int length = sql.length();
    if (length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = sql.charAt(i);
      switch (c) {
        case ' ':
          if (i == 0 || i == length - 1 || sql.charAt(i + 1) == ' ') {
            return false;
          }
          break;
        case '\'':
        case '$':
          return false;
        case '-':
          if (i + 1 < length && !isIdentifierStart(sql.charAt(i + 1))) {
            return false; // a comment, a negative number, or just maybe one: look closer
          }
          break;
        case '/':
          if (i + 1 < length && sql.charAt(i + 1) == '*') {
            return false;
          }
          break;
        case '#':
          if ((dialect & HASH_COMMENTS) != 0) {
            return false;
          }
          break;
        case '.':
          if (i + 1 < length && isDigit(sql.charAt(i + 1))) {
            return false;
          }
          break;
        case '"':
          if ((dialect & DOUBLE_QUOTED_STRINGS) != 0) {
            return false;
          }
          break;
        default:
          if (c < ' ' || (isDigit(c) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1))))) {
            return false;
          }
      }
    }
    return true;
  }

  /**
   * Operation name: the first keyword, upper-cased ({@code SELECT}, {@code INSERT}, {@code UPDATE},
   * {@code DELETE}, {@code CALL}, {@code WITH}...), or {@code null} when the text does not start
   * with a word. Leading white space, comments and parentheses are skipped, and the JDBC call
   * escapes {@code {call ...}} and {@code {? = call ...}} give {@code CALL}.
   */
  public static String operation(String sql) {
    if (sql == null) {
      return null;
    }
    int length = sql.length();
    int i = skipBlanks(sql, 0, length);
    while (i < length && (sql.charAt(i) == '(' || sql.charAt(i) == '{')) {
      i = skipBlanks(sql, i + 1, length);
    }
    if (i < length && sql.charAt(i) == '?') { // {? = call f(?)}
      i = skipBlanks(sql, i + 1, length);
      if (i < length && sql.charAt(i) == '=') {
        i = skipBlanks(sql, i + 1, length);
      }
    }
    int end = i;
    while (end < length && isAsciiLetter(sql.charAt(end))) {
      end++;
    }
    if (end == i
        || end - i > MAX_OPERATION_LENGTH
        || (end < length && isIdentifierPart(sql.charAt(end)))) {
      return null;
    }
    for (String operation : OPERATIONS) {
      if (isWord(sql, i, end, operation)) {
        return operation;
      }
    }
    return sql.substring(i, end).toUpperCase(Locale.ROOT);
  }

  /**
   * The main table of a simple statement, as written (with any schema prefix and quotes): {@code
   * SELECT ... FROM t}, {@code INSERT INTO t}, {@code UPDATE t}, {@code DELETE FROM t}, {@code
   * MERGE INTO t}. {@code null} when there is no single obvious table: a join, a list of tables, a
   * sub-query or table function after {@code FROM}, a {@code WITH} query, anything else.
   */
  public static String collection(String sql) {
    if (sql == null) {
      return null;
    }
    int length = Math.min(sql.length(), MAX_COLLECTION_SCAN);
    int i = skipBlanks(sql, 0, length);
    int baseDepth = 0;
    while (i < length && sql.charAt(i) == '(') {
      baseDepth++;
      i = skipBlanks(sql, i + 1, length);
    }
    int opEnd = endOfIdentifier(sql, i, length);
    if (opEnd == i) {
      return null;
    }
    if (isWord(sql, i, opEnd, "SELECT")) {
      return selectTable(sql, opEnd, length, baseDepth);
    }
    if (isWord(sql, i, opEnd, "INSERT")
        || isWord(sql, i, opEnd, "MERGE")
        || isWord(sql, i, opEnd, "REPLACE")) {
      int j = skipModifiers(sql, opEnd, length);
      int end = endOfIdentifier(sql, j, length);
      return isWord(sql, j, end, "INTO") ? tableAt(sql, end, length, false) : null;
    }
    if (isWord(sql, i, opEnd, "UPDATE")) {
      return tableAt(sql, skipModifiers(sql, opEnd, length), length, false);
    }
    if (isWord(sql, i, opEnd, "DELETE")) {
      int j = skipModifiers(sql, opEnd, length);
      int end = endOfIdentifier(sql, j, length);
      return isWord(sql, j, end, "FROM") ? tableAt(sql, end, length, false) : null;
    }
    return null;
  }

  /** The table after the first {@code FROM} at the statement's own parenthesis depth. */
  private static String selectTable(String sql, int from, int length, int baseDepth) {
    int depth = baseDepth;
    int i = skipBlanks(sql, from, length);
    while (i < length) {
      char c = sql.charAt(i);
      int end;
      if (c == '(') {
        depth++;
        end = i + 1;
      } else if (c == ')') {
        depth--;
        end = i + 1;
      } else {
        end = endOfToken(sql, i, length);
        if (depth == baseDepth) {
          if (isWord(sql, i, end, "FROM")) {
            return tableAt(sql, end, length, true);
          }
          if (c == ';') {
            return null; // the first statement has no FROM
          }
        }
      }
      i = skipBlanks(sql, end, length);
    }
    return null;
  }

  /** The (qualified) name starting at {@code from} after blanks, checked for joins if asked. */
  private static String tableAt(String sql, int from, int length, boolean onlyTable) {
    int start = skipBlanks(sql, from, length);
    int end = endOfQualifiedName(sql, start, length);
    if (end < 0 || end - start > MAX_COLLECTION_LENGTH) {
      return null;
    }
    if (onlyTable) {
      int i = skipBlanks(sql, end, length);
      if (i < length && sql.charAt(i) == '(') {
        return null; // FROM some_function(...)
      }
      int wordEnd = endOfIdentifier(sql, i, length);
      if (isWord(sql, i, wordEnd, "AS")) {
        int alias = skipBlanks(sql, wordEnd, length);
        i = alias < length ? skipBlanks(sql, endOfToken(sql, alias, length), length) : length;
      } else if (wordEnd > i
          && !isAnyWord(sql, i, wordEnd, CLAUSE_WORDS)
          && !isAnyWord(sql, i, wordEnd, JOIN_WORDS)) {
        i = skipBlanks(sql, wordEnd, length); // an alias: FROM greetings g
      }
      if (i < length && sql.charAt(i) == ',') {
        return null;
      }
      if (isAnyWord(sql, i, endOfIdentifier(sql, i, length), JOIN_WORDS)) {
        return null;
      }
    }
    return sql.substring(start, end);
  }

  private static int skipModifiers(String sql, int from, int length) {
    int i = skipBlanks(sql, from, length);
    for (int n = 0; n < 3; n++) {
      int end = endOfIdentifier(sql, i, length);
      if (!isAnyWord(sql, i, end, MODIFIER_WORDS)) {
        break;
      }
      i = skipBlanks(sql, end, length);
    }
    return i;
  }

  /** End of {@code part(.part)*} where a part is an identifier or a quoted identifier, or -1. */
  private static int endOfQualifiedName(String sql, int start, int length) {
    int end = endOfNamePart(sql, start, length);
    if (end < 0) {
      return -1;
    }
    while (end < length && sql.charAt(end) == '.') {
      int next = endOfNamePart(sql, end + 1, length);
      if (next < 0) {
        return -1;
      }
      end = next;
    }
    return end;
  }

  private static int endOfNamePart(String sql, int start, int length) {
    if (start >= length) {
      return -1;
    }
    char c = sql.charAt(start);
    if (c == '"' || c == '`' || c == '[') {
      int end = endOfQuoted(sql, start + 1, c == '[' ? ']' : c, false);
      return end <= length && sql.charAt(end - 1) == (c == '[' ? ']' : c) && end - start > 2
          ? end
          : -1;
    }
    if (!isIdentifierStart(c)) {
      return -1;
    }
    return endOfIdentifier(sql, start, length);
  }

  // ---- lexical helpers -------------------------------------------------------------------

  /** Index after the closing quote, or the end of the text when unterminated. */
  private static int endOfQuoted(String sql, int from, char quote, boolean backslashEscapes) {
    int length = sql.length();
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote: an escaped quote, the literal goes on
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return length;
  }

  /**
   * If the identifier {@code [start, end)} is a literal prefix directly followed by a quote ({@code
   * N'..'}, {@code E'..'}, {@code X'..'}, {@code B'..'}, {@code q'[..]'}, {@code nq'[..]'}), the
   * index after that literal; otherwise -1.
   */
  private static int endOfPrefixedLiteral(String sql, int start, int end, int dialect) {
    if (end >= sql.length() || sql.charAt(end) != '\'' || end - start > 2) {
      return -1;
    }
    char first = Character.toUpperCase(sql.charAt(start));
    char last = Character.toUpperCase(sql.charAt(end - 1));
    if (last == 'Q' && (end - start == 1 || first == 'N')) {
      return endOfOracleQuoted(sql, end + 1);
    }
    if (end - start != 1) {
      return -1;
    }
    switch (first) {
      case 'E': // PostgreSQL escape string: backslash escapes whatever the dialect
        return endOfQuoted(sql, end + 1, '\'', true);
      case 'N':
      case 'X':
      case 'B':
        return endOfQuoted(sql, end + 1, '\'', (dialect & BACKSLASH_ESCAPES) != 0);
      default:
        return -1;
    }
  }

  /**
   * Oracle alternative quoting: {@code q'<delim>...<closing delim>'}; {@code from} is the delim.
   */
  private static int endOfOracleQuoted(String sql, int from) {
    int length = sql.length();
    if (from >= length) {
      return length;
    }
    char open = sql.charAt(from);
    char close;
    switch (open) {
      case '[':
        close = ']';
        break;
      case '{':
        close = '}';
        break;
      case '<':
        close = '>';
        break;
      case '(':
        close = ')';
        break;
      default:
        close = open;
    }
    for (int i = from + 1; i + 1 < length; i++) {
      if (sql.charAt(i) == close && sql.charAt(i + 1) == '\'') {
        return i + 2;
      }
    }
    return length;
  }

  /**
   * For a {@code $} at {@code start} that opens a dollar quote ({@code $$} or {@code $tag$}), the
   * index of the tag's closing {@code $}; otherwise -1.
   */
  private static int dollarTagEnd(String sql, int start) {
    int length = sql.length();
    int i = start + 1;
    if (i < length && sql.charAt(i) == '$') {
      return i;
    }
    if (i >= length || !(isAsciiLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
      return -1;
    }
    while (i < length && isTagPart(sql.charAt(i))) {
      i++;
    }
    return i < length && sql.charAt(i) == '$' ? i : -1;
  }

  /** Index after the closing tag of the dollar quote opened by {@code [start, tagEnd]}. */
  private static int endOfDollarQuoted(String sql, int start, int tagEnd) {
    int tagLength = tagEnd - start + 1;
    int last = sql.length() - tagLength;
    for (int i = tagEnd + 1; i <= last; i++) {
      if (sql.charAt(i) == '$' && sql.regionMatches(i, sql, start, tagLength)) {
        return i + tagLength;
      }
    }
    return sql.length();
  }

  /**
   * Index after the number starting at {@code start}: hex {@code 0x..}, or digits with an optional
   * fraction and exponent; trailing letters and digits ({@code 10L}, {@code 0b101}, {@code 1abc})
   * are taken along so no piece of the number stays behind.
   */
  private static int endOfNumber(String sql, int start) {
    int length = sql.length();
    int i = start;
    if (sql.charAt(i) == '0' && i + 1 < length && (sql.charAt(i + 1) | 0x20) == 'x') {
      i += 2;
    } else {
      while (i < length && isDigit(sql.charAt(i))) {
        i++;
      }
      if (i < length && sql.charAt(i) == '.') {
        i++;
        while (i < length && isDigit(sql.charAt(i))) {
          i++;
        }
      }
      if (i < length && (sql.charAt(i) | 0x20) == 'e') {
        int j = i + 1;
        if (j < length && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
          j++;
        }
        if (j < length && isDigit(sql.charAt(j))) {
          i = j;
        }
      }
    }
    // '$' is left alone: 1$tag$...$tag$ is a number and a dollar-quoted string.
    while (i < length && sql.charAt(i) != '$' && isIdentifierPart(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether a minus sign written now can only be a sign, not a subtraction. */
  private static boolean isUnaryPosition(StringBuilder out) {
    int i = out.length() - 1;
    if (i >= 0 && out.charAt(i) == ' ') {
      i--;
    }
    if (i < 0) {
      return true;
    }
    switch (out.charAt(i)) {
      case '(':
      case ',':
      case '=':
      case '<':
      case '>':
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '^':
      case '&':
      case '|':
      case '~':
      case '!':
      case '[':
        return true;
      default:
        return false;
    }
  }

  private static boolean followsIdentifier(String sql, int i) {
    if (i == 0) {
      return false;
    }
    char c = sql.charAt(i - 1);
    return isIdentifierPart(c) || c == '"' || c == '`' || c == ']' || c == ')';
  }

  private static int endOfLine(String sql, int from) {
    int length = sql.length();
    int i = from;
    while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** Index after the {@code *}{@code /} closing a comment whose body starts at {@code from}. */
  private static int endOfBlockComment(String sql, int from, boolean nested) {
    int length = sql.length();
    int depth = 1;
    int i = from;
    while (i + 1 < length) {
      char c = sql.charAt(i);
      if (c == '*' && sql.charAt(i + 1) == '/') {
        if (--depth == 0) {
          return i + 2;
        }
        i += 2;
      } else if (nested && c == '/' && sql.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else {
        i++;
      }
    }
    return length;
  }

  /** Skips white space and {@code --} / block comments. */
  private static int skipBlanks(String sql, int from, int length) {
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (c <= ' ') {
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        i = endOfLine(sql, i);
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        i = endOfBlockComment(sql, i + 2, false);
      } else {
        break;
      }
    }
    return Math.min(i, length);
  }

  /** End of the token at {@code start}: a quoted literal or identifier, a word, or one symbol. */
  private static int endOfToken(String sql, int start, int length) {
    char c = sql.charAt(start);
    int end;
    if (c == '\'' || c == '"' || c == '`') {
      end = endOfQuoted(sql, start + 1, c, c == '\'');
    } else if (c == '$' && dollarTagEnd(sql, start) >= 0) {
      end = endOfDollarQuoted(sql, start, dollarTagEnd(sql, start));
    } else if (isIdentifierPart(c)) {
      end = endOfIdentifier(sql, start, length);
    } else {
      end = start + 1;
    }
    return Math.min(end, length);
  }

  private static int endOfIdentifier(String sql, int start) {
    return endOfIdentifier(sql, start, sql.length());
  }

  private static int endOfIdentifier(String sql, int start, int length) {
    int i = start;
    while (i < length && isIdentifierPart(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Appends {@code [start, end)}, but never much more than the output can still take. */
  private static int copy(String sql, int start, int end, StringBuilder out) {
    out.append(sql, start, Math.min(end, start + MAX_LENGTH + 1 - out.length()));
    return end;
  }

  private static boolean isWord(String sql, int start, int end, String word) {
    return end - start == word.length() && sql.regionMatches(true, start, word, 0, word.length());
  }

  private static boolean isAnyWord(String sql, int start, int end, String[] words) {
    for (String word : words) {
      if (isWord(sql, start, end, word)) {
        return true;
      }
    }
    return false;
  }

  private static char charAt(String sql, int i) {
    return i < sql.length() ? sql.charAt(i) : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Letters, underscore, and any non-ASCII character (identifiers may use any script). */
  private static boolean isIdentifierStart(char c) {
    return isAsciiLetter(c) || c == '_' || c >= 0x80;
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }

  private static boolean isTagPart(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '_';
  }
}
