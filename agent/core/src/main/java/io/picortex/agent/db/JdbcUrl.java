package io.picortex.agent.db;

import java.util.Locale;

/**
 * What a JDBC URL says about the database, in OpenTelemetry semantic-convention terms: {@code
 * db.system.name}, {@code server.address}, {@code server.port} and {@code db.namespace}.
 *
 * <p>Credentials are removed ({@link #redact}) before anything else is read, so no user name or
 * password can end up in a field, whatever the URL looks like. Parsing is best effort and never
 * throws: what cannot be read is {@code null}, an unknown driver is {@value #OTHER_SQL}.
 *
 * <p>Parse once per connection URL (a connection pool has one), not per statement.
 *
 * @param dbSystemName the {@code db.system.name} value, never null
 * @param serverAddress the first host named in the URL, or null (embedded databases, unparsable)
 * @param serverPort the port written in the URL, or null when absent (the driver's default)
 * @param namespace the database, service or file name, or null
 */
public record JdbcUrl(
    String dbSystemName, String serverAddress, Integer serverPort, String namespace) {

  // db.system.name values (semantic conventions 1.3x, DbSystemNameValues).
  public static final String H2DATABASE = "h2database";
  public static final String POSTGRESQL = "postgresql";
  public static final String MYSQL = "mysql";
  public static final String MARIADB = "mariadb";
  public static final String ORACLE_DB = "oracle.db";
  public static final String MICROSOFT_SQL_SERVER = "microsoft.sql_server";
  public static final String SQLITE = "sqlite";
  public static final String HSQLDB = "hsqldb";
  public static final String DERBY = "derby";
  public static final String IBM_DB2 = "ibm.db2";
  public static final String OTHER_SQL = "other_sql";

  /** Returned for null, empty or non-JDBC input. */
  private static final JdbcUrl UNKNOWN = new JdbcUrl(OTHER_SQL, null, null, null);

  /** Longest URL read; anything after is ignored (a URL is configuration, not a document). */
  static final int MAX_LENGTH = 4096;

  /** Longest host or database name kept. */
  private static final int MAX_NAME_LENGTH = 256;

  /**
   * Parameter names whose values are never shown, matched as case-insensitive substrings ({@code
   * user} covers {@code userName}, {@code password} covers {@code sslPassword} and {@code
   * trustStorePassword}, {@code key} covers {@code apiKey} and {@code secretKey}...).
   */
  private static final String[] SECRET_PARAMETER_PARTS = {
    "user", "password", "passwd", "pwd", "secret", "token", "credential", "key"
  };

  /** Driver wrappers written in front of the real sub-protocol, e.g. {@code jdbc:p6spy:mysql:}. */
  private static final String[] WRAPPERS = {"p6spy", "log4jdbc", "otel", "tc"};

  /**
   * Reads {@code url} (a {@code jdbc:...} URL; at most the first {@value #MAX_LENGTH} characters).
   * Never throws; null or non-JDBC input gives {@value #OTHER_SQL} and no other field.
   */
  public static JdbcUrl parse(String url) {
    if (url == null) {
      return UNKNOWN;
    }
    String safe = redact(url.length() > MAX_LENGTH ? url.substring(0, MAX_LENGTH) : url);
    if (!safe.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return UNKNOWN;
    }
    int start = 5;
    int colon = safe.indexOf(':', start);
    boolean testcontainers = false;
    while (colon > 0 && isWrapper(safe, start, colon)) {
      // jdbc:tc:postgresql:15:///db (Testcontainers) names an image, not a host
      testcontainers |= safe.regionMatches(true, start, "tc:", 0, 3);
      start = colon + 1;
      colon = safe.indexOf(':', start);
    }
    String subprotocol =
        (colon < 0 ? safe.substring(start) : safe.substring(start, colon)).toLowerCase(Locale.ROOT);
    String rest = colon < 0 ? "" : safe.substring(colon + 1);
    if (subprotocol.endsWith("+srv")) { // jdbc:mysql+srv://
      subprotocol = subprotocol.substring(0, subprotocol.length() - 4);
    }
    String system = systemName(subprotocol, rest);
    if (testcontainers) {
      return new JdbcUrl(system, null, null, null);
    }
    switch (subprotocol) {
      case "postgresql":
      case "pgsql":
      case "mysql":
      case "mariadb":
      case "db2":
      case "as400":
        return server(system, rest, 0);
      case "oracle":
        return oracle(rest);
      case "sqlserver":
        return sqlServer(rest);
      case "jtds":
        return server(system, rest, rest.indexOf(':') + 1); // jdbc:jtds:sqlserver://host/db
      case "h2":
      case "hsqldb":
      case "derby":
      case "sqlite":
        return embeddedOrServer(system, rest);
      default:
        return server(system, rest, 0);
    }
  }

  private static String systemName(String subprotocol, String rest) {
    switch (subprotocol) {
      case "h2":
        return H2DATABASE;
      case "postgresql":
      case "pgsql":
        return POSTGRESQL;
      case "mysql":
        return MYSQL;
      case "mariadb":
        return MARIADB;
      case "oracle":
        return ORACLE_DB;
      case "sqlserver":
        return MICROSOFT_SQL_SERVER;
      case "jtds":
        return rest.regionMatches(true, 0, "sqlserver:", 0, 10) ? MICROSOFT_SQL_SERVER : OTHER_SQL;
      case "sqlite":
        return SQLITE;
      case "hsqldb":
        return HSQLDB;
      case "derby":
        return DERBY;
      case "db2":
      case "as400":
        return IBM_DB2;
      default:
        return OTHER_SQL;
    }
  }

  /**
   * {@code [mode:]//host[:port][,host2...][/database][?|;params]}, also the short forms without a
   * host such as {@code jdbc:postgresql:shop}. {@code from} is where to look for the {@code //}.
   */
  private static JdbcUrl server(String system, String rest, int from) {
    int slashes = rest.indexOf("//", from);
    if (slashes < 0) {
      // jdbc:postgresql:database, jdbc:postgresql:/ : the driver connects to localhost.
      int end = endOf(rest, from, "?;");
      String database = from < end && rest.charAt(from) != '/' ? rest.substring(from, end) : null;
      return new JdbcUrl(system, null, null, bounded(database));
    }
    int authorityStart = slashes + 2;
    int authorityEnd = endOfAuthority(rest, authorityStart);
    String database = null;
    if (authorityEnd < rest.length() && rest.charAt(authorityEnd) == '/') {
      int end = endOf(rest, authorityEnd + 1, "?;#");
      database = end > authorityEnd + 1 ? rest.substring(authorityEnd + 1, end) : null;
    }
    return withFirstHost(system, rest, authorityStart, authorityEnd, bounded(database));
  }

  /**
   * H2, HSQLDB, Derby, SQLite: {@code [mode:]path[;params]} when embedded (mode {@code mem:},
   * {@code file:}, {@code memory:}...), or {@code [tcp|ssl|hsql|http]://host[:port]/path} when a
   * server. The namespace is the database name or path without the mode.
   */
  private static JdbcUrl embeddedOrServer(String system, String rest) {
    int end = endOf(rest, 0, "?;");
    int schemeEnd = rest.indexOf("://");
    if (rest.startsWith("//")
        || (schemeEnd > 0 && schemeEnd < end && isLetters(rest, 0, schemeEnd))) {
      int authorityStart = rest.startsWith("//") ? 2 : schemeEnd + 3;
      int authorityEnd = endOfAuthority(rest, authorityStart);
      String database = null;
      if (authorityEnd < end && rest.charAt(authorityEnd) == '/') {
        database = withoutModes(rest, authorityEnd + 1, end);
      }
      return withFirstHost(system, rest, authorityStart, authorityEnd, bounded(database));
    }
    String database = withoutModes(rest, 0, end);
    if (":memory:".equals(database)) { // SQLite's anonymous in-memory database
      database = null;
    }
    return new JdbcUrl(system, null, null, bounded(database));
  }

  /** {@code [s, e)} without leading {@code mem:}, {@code file:}, {@code split:nio:}..., or null. */
  private static String withoutModes(String s, int start, int end) {
    int i = start;
    while (true) {
      int colon = s.indexOf(':', i);
      // Two letters at least: "C:" is a Windows drive, not a mode.
      if (colon < 0 || colon >= end || colon - i < 2 || !isLetters(s, i, colon)) {
        break;
      }
      i = colon + 1;
    }
    return i < end ? s.substring(i, end) : null;
  }

  /**
   * Oracle: {@code thin:@host:port:SID}, {@code thin:@//host:port/service}, {@code
   * thin:@host:port/service} or {@code thin:@(DESCRIPTION=...(HOST=h)(PORT=p)...(SERVICE_NAME=s))}.
   * A bare TNS alias names neither host nor service, so gives neither.
   */
  private static JdbcUrl oracle(String rest) {
    int at = rest.indexOf('@');
    if (at < 0) {
      return new JdbcUrl(ORACLE_DB, null, null, null);
    }
    int start = at + 1;
    if (start < rest.length() && rest.charAt(start) == '(') {
      String host = descriptorValue(rest, start, "HOST=");
      String port = descriptorValue(rest, start, "PORT=");
      String service = descriptorValue(rest, start, "SERVICE_NAME=");
      if (service == null) {
        service = descriptorValue(rest, start, "SID=");
      }
      return new JdbcUrl(
          ORACLE_DB,
          bounded(host),
          port(port, 0, port == null ? 0 : port.length()),
          bounded(service));
    }
    if (rest.startsWith("//", start)) {
      start += 2;
    }
    int end = endOf(rest, start, "?");
    int hostEnd = endOfHost(rest, start, end);
    if (hostEnd >= end) {
      return new JdbcUrl(ORACLE_DB, null, null, null); // a TNS alias
    }
    String host = hostOf(rest, start, hostEnd);
    int i = hostEnd;
    Integer port = null;
    if (rest.charAt(i) == ':') {
      int portEnd = i + 1;
      while (portEnd < end && isDigit(rest.charAt(portEnd))) {
        portEnd++;
      }
      port = port(rest, i + 1, portEnd);
      i = portEnd;
    }
    String service = null;
    if (i < end && (rest.charAt(i) == ':' || rest.charAt(i) == '/')) {
      int serviceEnd = endOf(rest, i + 1, ":/");
      service = serviceEnd > i + 1 ? rest.substring(i + 1, Math.min(serviceEnd, end)) : null;
    }
    return new JdbcUrl(ORACLE_DB, bounded(host), port, bounded(service));
  }

  /** SQL Server: {@code //host[\instance][:port][;databaseName=db][;serverName=..]...}. */
  private static JdbcUrl sqlServer(String rest) {
    int start = rest.startsWith("//") ? 2 : 0;
    int end = endOf(rest, start, ";");
    int hostEnd = endOf(rest, start, "\\:;");
    String host = hostEnd > start ? rest.substring(start, hostEnd) : null;
    String instance = null;
    Integer port = null;
    int i = hostEnd;
    if (i < end && rest.charAt(i) == '\\') {
      int instanceEnd = endOf(rest, i + 1, ":;");
      instance = instanceEnd > i + 1 ? rest.substring(i + 1, instanceEnd) : null;
      i = instanceEnd;
    }
    if (i < end && rest.charAt(i) == ':') {
      port = port(rest, i + 1, end);
    }
    if (host == null) {
      host = parameter(rest, end, "serverName");
    }
    if (instance == null) {
      instance = parameter(rest, end, "instanceName");
    }
    if (port == null) {
      String value = parameter(rest, end, "portNumber");
      if (value == null) {
        value = parameter(rest, end, "port");
      }
      port = value == null ? null : port(value, 0, value.length());
    }
    String database = parameter(rest, end, "databaseName");
    if (database == null) {
      database = parameter(rest, end, "database");
    }
    // The conventions name a SQL Server database "instance|database" when the instance is known.
    String namespace =
        database == null ? null : instance == null ? database : instance + '|' + database;
    return new JdbcUrl(MICROSOFT_SQL_SERVER, bounded(host), port, bounded(namespace));
  }

  private static JdbcUrl withFirstHost(
      String system, String s, int authorityStart, int authorityEnd, String database) {
    int start = authorityStart;
    int hostsEnd = authorityEnd;
    if (start < hostsEnd
        && (s.charAt(start) == '(' || s.regionMatches(true, start, "address=", 0, 8))) {
      // MySQL key-value hosts: address=(host=h)(port=p) or (host=h,port=p)
      String host = descriptorValue(s, start, "host=");
      String port = descriptorValue(s, start, "port=");
      return new JdbcUrl(
          system, bounded(host), port(port, 0, port == null ? 0 : port.length()), database);
    }
    int end = endOf(s, start, ",");
    end = Math.min(end, hostsEnd);
    int hostEnd = endOfHost(s, start, end);
    String host = hostEnd > start ? hostOf(s, start, hostEnd) : null;
    Integer port = hostEnd < end && s.charAt(hostEnd) == ':' ? port(s, hostEnd + 1, end) : null;
    return new JdbcUrl(system, bounded(host), port, database);
  }

  /**
   * End of a host name at {@code start}: after {@code ]} for IPv6, else at {@code :} or {@code /}.
   */
  private static int endOfHost(String s, int start, int end) {
    if (start < end && s.charAt(start) == '[') {
      int close = s.indexOf(']', start);
      return close < 0 || close >= end ? end : close + 1;
    }
    return Math.min(endOf(s, start, ":/"), end);
  }

  private static String hostOf(String s, int start, int end) {
    if (s.charAt(start) == '[' && s.charAt(end - 1) == ']') {
      return end - start > 2 ? s.substring(start + 1, end - 1) : null;
    }
    return s.substring(start, end);
  }

  /**
   * The authority ends at the first {@code /}, {@code ?}, {@code ;} or {@code #} outside
   * parentheses.
   */
  private static int endOfAuthority(String s, int start) {
    int depth = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0 && (c == '/' || c == '?' || c == ';' || c == '#')) {
        return i;
      }
    }
    return s.length();
  }

  /** Value of {@code key} (case-insensitive, e.g. {@code HOST=}) up to {@code )} or {@code ,}. */
  private static String descriptorValue(String s, int from, String key) {
    int length = s.length();
    for (int i = from; i + key.length() <= length; i++) {
      char before = i == 0 ? '(' : s.charAt(i - 1);
      if ((before == '(' || before == ',' || before == ' ')
          && s.regionMatches(true, i, key, 0, key.length())) {
        int start = i + key.length();
        int end = endOf(s, start, "),");
        String value = s.substring(start, end).trim();
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /** Value of the {@code ;name=value} parameter (case-insensitive name) after {@code from}. */
  private static String parameter(String s, int from, String name) {
    int length = s.length();
    for (int i = from; i < length; i++) {
      if (s.charAt(i) == ';'
          && i + 1 + name.length() < length
          && s.charAt(i + 1 + name.length()) == '='
          && s.regionMatches(true, i + 1, name, 0, name.length())) {
        int start = i + 2 + name.length();
        int end = endOf(s, start, ";");
        return end > start ? s.substring(start, end) : null;
      }
    }
    return null;
  }

  private static Integer port(String s, int start, int end) {
    if (s == null || end <= start || end - start > 5) {
      return null;
    }
    int port = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return null;
      }
      port = port * 10 + (c - '0');
    }
    return port > 0 && port <= 65535 ? port : null;
  }

  // ---- redaction -----------------------------------------------------------------------------

  /**
   * {@code url} without credentials, for logs and diagnostics: {@code user:password@} before a
   * host, Oracle's {@code user/password@}, and every parameter whose name contains {@code user},
   * {@code password}, {@code pwd}, {@code secret}, {@code token}, {@code credential} or {@code key}
   * (or is {@code uid}), in {@code ?a=b&c=d}, {@code ;a=b;c=d}, {@code :a=b;} or {@code (a=b,c=d)}
   * form, are removed. Everything else is kept as written.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    int length = url.length();
    StringBuilder out = new StringBuilder(length);
    int i = 0;

    // Oracle: jdbc:oracle:<driver type>:user/password@connect-string
    if (url.regionMatches(true, 0, "jdbc:oracle:", 0, 12)) {
      int typeEnd = url.indexOf(':', 12);
      if (typeEnd > 0) {
        int at = unquotedAt(url, typeEnd + 1);
        if (at > typeEnd + 1) {
          out.append(url, 0, typeEnd + 1);
          i = at;
        }
      }
    } else {
      // user:password@host in an authority
      int slashes = url.indexOf("//");
      if (slashes >= 0) {
        int authorityEnd = endOfAuthority(url, slashes + 2);
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at > slashes) {
          out.append(url, 0, slashes + 2);
          i = at + 1;
        }
      }
    }

    // Parameters. A removed parameter takes its separator along, except that a removed first
    // query parameter hands its '?' to the next one that stays.
    boolean queryPending = false;
    int depth = 0;
    while (i < length) {
      char c = url.charAt(i);
      if (c == ')') {
        depth = Math.max(0, depth - 1);
      }
      boolean separator =
          c == '?' || c == '&' || c == ';' || c == ':' || c == '(' || (c == ',' && depth > 0);
      if (!separator) {
        out.append(c);
        i++;
        continue;
      }
      if (c == '(') {
        depth++;
      }
      int nameEnd = i + 1;
      while (nameEnd < length && isParameterNameChar(url.charAt(nameEnd))) {
        nameEnd++;
      }
      boolean secret =
          nameEnd > i + 1
              && nameEnd < length
              && url.charAt(nameEnd) == '='
              && isSecretName(url, i + 1, nameEnd);
      if (secret) {
        queryPending |= c == '?';
        if (c == '(') {
          out.append('(');
        }
        i = endOfParameterValue(url, nameEnd + 1, c);
        if (c == '(' && i < length && url.charAt(i) == ',') {
          i++; // (user=u,host=h) -> (host=h)
        }
        continue;
      }
      if (queryPending && (c == '&' || c == '?')) {
        out.append('?');
        queryPending = false;
      } else {
        out.append(c);
      }
      i++;
    }
    return out.toString();
  }

  /** The first {@code @} at or after {@code from} that is not inside double quotes, or -1. */
  private static int unquotedAt(String s, int from) {
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '@' && !quoted) {
        return i;
      } else if (!quoted && (c == '(' || c == '?')) {
        return -1; // a descriptor or parameters begin: there was no user/password part
      }
    }
    return -1;
  }

  /**
   * End of a parameter value that starts at {@code start}: at the next {@code &} for query
   * parameters, {@code ;} for semicolon parameters ({@code {...}} braces may hide a {@code ;}),
   * {@code )} or {@code ,} inside parentheses.
   */
  private static int endOfParameterValue(String s, int start, char separator) {
    int length = s.length();
    if (separator == '?' || separator == '&') {
      return endOf(s, start, "&#");
    }
    if (separator == '(' || separator == ',') {
      return endOf(s, start, "),");
    }
    int i = start;
    if (i < length && s.charAt(i) == '{') {
      i++;
      while (i < length) {
        if (s.charAt(i) == '}') {
          if (i + 1 < length && s.charAt(i + 1) == '}') {
            i += 2; // }} is an escaped brace
            continue;
          }
          i++;
          break;
        }
        i++;
      }
    }
    return endOf(s, i, ";");
  }

  private static boolean isSecretName(String s, int start, int end) {
    if (end - start == 3 && s.regionMatches(true, start, "uid", 0, 3)) {
      return true;
    }
    for (String part : SECRET_PARAMETER_PARTS) {
      for (int i = start; i + part.length() <= end; i++) {
        if (s.regionMatches(true, i, part, 0, part.length())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isParameterNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || isDigit(c)
        || c == '_'
        || c == '.'
        || c == '-';
  }

  // ---- small helpers -------------------------------------------------------------------------

  private static boolean isWrapper(String s, int start, int end) {
    for (String wrapper : WRAPPERS) {
      if (end - start == wrapper.length()
          && s.regionMatches(true, start, wrapper, 0, end - start)) {
        return true;
      }
    }
    return false;
  }

  /** Index of the first of {@code stops} at or after {@code from}, or the length of {@code s}. */
  private static int endOf(String s, int from, String stops) {
    for (int i = from; i < s.length(); i++) {
      if (stops.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  private static boolean isLetters(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return end > start;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String bounded(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return value.length() > MAX_NAME_LENGTH ? value.substring(0, MAX_NAME_LENGTH) : value;
  }
}
