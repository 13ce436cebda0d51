package io.picortex.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlRedactionTest {

  // ---- redactQuery ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      textBlock =
          """
          q=shoes&page=2                                  | q=shoes&page=2
          access_token=abc&q=1                            | access_token=REDACTED&q=1
          q=1&api_key=abc                                 | q=1&api_key=REDACTED
          PASSWORD=x&Passwd=y&pwd=z                       | PASSWORD=REDACTED&Passwd=REDACTED&pwd=REDACTED
          client_secret=s                                 | client_secret=REDACTED
          sig=a&X-Amz-Signature=b&X-Amz-Credential=c      | sig=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED
          Authorization=Bearer%20x&auth=y                 | Authorization=REDACTED&auth=REDACTED
          jsessionid=abc&session_id=def                   | jsessionid=REDACTED&session_id=REDACTED
          code=oauthcode&state=xyz                        | code=REDACTED&state=xyz
          jwt=eyJhbGciOi                                  | jwt=REDACTED
          token=                                          | token=REDACTED
          token=a=b=c&x=1                                 | token=REDACTED&x=1
          a=1;token=t;b=2                                 | a=1;token=REDACTED;b=2
          token&flag                                      | token&flag
          =orphan&&x=1&                                   | =orphan&&x=1&
          acc%65ss_token=a&api%5Fkey=b                    | acc%65ss_token=REDACTED&api%5Fkey=REDACTED
          my+secret=x                                     | my+secret=REDACTED
          keyword=java                                    | keyword=REDACTED
          name=token                                      | name=token
          """)
  void redactsValuesOfSecretLookingParametersOnly(String query, String expected) {
    assertThat(UrlRedaction.redactQuery(query)).isEqualTo(expected);
  }

  @Test
  void returnsAQueryWithoutSecretsAsIs() {
    String query = "q=shoes&page=2&sort=price";

    assertThat(UrlRedaction.redactQuery(query)).isSameAs(query);
  }

  @Test
  void nullAndEmptyQueriesAreReturnedUnchanged() {
    assertThat(UrlRedaction.redactQuery(null)).isNull();
    assertThat(UrlRedaction.redactQuery("")).isEmpty();
  }

  @Test
  void longQueriesAreCutAfterRedaction() {
    String query = "token=" + "s".repeat(5_000) + "&q=" + "x".repeat(5_000);

    String redacted = UrlRedaction.redactQuery(query);

    assertThat(redacted).hasSize(UrlRedaction.MAX_LENGTH).startsWith("token=REDACTED&q=xxx");
    assertThat(redacted).doesNotContain("sss");
  }

  @Test
  void aSecretNameCutByTheBoundNeverShowsItsValue() {
    String query = "q=" + "x".repeat(UrlRedaction.MAX_LENGTH - 5) + "&password=hunter2";

    assertThat(UrlRedaction.redactQuery(query))
        .doesNotContain("hunter2")
        .hasSize(UrlRedaction.MAX_LENGTH);
  }

  // ---- redactUrl -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\u0000',
      textBlock =
          """
          https://example.com/a/b?q=1                           | https://example.com/a/b?q=1
          https://alice:hunter2@example.com/a?q=1               | https://REDACTED:REDACTED@example.com/a?q=1
          https://alice@example.com                             | https://REDACTED:REDACTED@example.com
          http://u:p@[::1]:8080/x                               | http://REDACTED:REDACTED@[::1]:8080/x
          https://example.com/cb?code=abc&state=s               | https://example.com/cb?code=REDACTED&state=s
          https://example.com/cb#access_token=abc&type=bearer   | https://example.com/cb#access_token=REDACTED&type=bearer
          https://example.com/a;jsessionid=ABC123/b?x=1         | https://example.com/a;jsessionid=REDACTED/b?x=1
          https://example.com/a;v=1/b                           | https://example.com/a;v=1/b
          /relative/path?token=t&x=1                            | /relative/path?token=REDACTED&x=1
          https://example.com/p@th?x=1                          | https://example.com/p@th?x=1
          https://example.com?api_key=k                         | https://example.com?api_key=REDACTED
          not a url                                             | not a url
          """)
  void redactsUserInfoAndSecretParameters(String url, String expected) {
    assertThat(UrlRedaction.redactUrl(url)).isEqualTo(expected);
  }

  @Test
  void returnsAUrlWithoutSecretsAsIs() {
    String url = "https://example.com:8443/api/v1/items?page=2#top";

    assertThat(UrlRedaction.redactUrl(url)).isSameAs(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://alice:hunter2@example.com/",
        "https://example.com/?password=hunter2",
        "https://example.com/#id_token=hunter2",
        "https://example.com/x;jsessionid=hunter2",
        "https://example.com/?a=1&SECRET=hunter2&b=2"
      })
  void neverReturnsTheSecret(String url) {
    assertThat(UrlRedaction.redactUrl(url)).doesNotContain("hunter2").doesNotContain("alice");
  }

  @Test
  void longUrlsAreCut() {
    String url = "https://example.com/" + "a".repeat(10_000);

    assertThat(UrlRedaction.redactUrl(url)).hasSize(UrlRedaction.MAX_LENGTH);
  }

  @Test
  void credentialsAreRedactedEvenWhenTheUrlIsLongerThanTheBound() {
    String url = "https://alice:hunter2@example.com/" + "a".repeat(10_000) + "?token=hunter2";

    assertThat(UrlRedaction.redactUrl(url))
        .startsWith("https://REDACTED:REDACTED@example.com/aaa")
        .doesNotContain("hunter2")
        .hasSize(UrlRedaction.MAX_LENGTH);
  }

  @Test
  void nullAndEmptyUrlsAreReturnedUnchanged() {
    assertThat(UrlRedaction.redactUrl(null)).isNull();
    assertThat(UrlRedaction.redactUrl("")).isEmpty();
  }

  // ---- fullUrl -------------------------------------------------------------------------------

  @Test
  void fullUrlOmitsDefaultPorts() {
    assertThat(UrlRedaction.fullUrl("http", "example.com", 80, "/a", null))
        .isEqualTo("http://example.com/a");
    assertThat(UrlRedaction.fullUrl("https", "example.com", 443, "/a", ""))
        .isEqualTo("https://example.com/a");
    assertThat(UrlRedaction.fullUrl("http", "example.com", -1, "/a", null))
        .isEqualTo("http://example.com/a");
  }

  @Test
  void fullUrlKeepsOtherPortsAndRedactsTheQuery() {
    assertThat(UrlRedaction.fullUrl("http", "localhost", 8080, "/greet", "name=x&token=t"))
        .isEqualTo("http://localhost:8080/greet?name=x&token=REDACTED");
  }

  @Test
  void fullUrlBracketsIpv6HostsAndAddsAMissingSlash() {
    assertThat(UrlRedaction.fullUrl("http", "::1", 8080, "x", null))
        .isEqualTo("http://[::1]:8080/x");
    assertThat(UrlRedaction.fullUrl("http", "[::1]", 8080, "/x", null))
        .isEqualTo("http://[::1]:8080/x");
  }

  @Test
  void fullUrlRedactsPathParametersAndDefaultsTheScheme() {
    assertThat(UrlRedaction.fullUrl(null, "example.com", 0, "/a;jsessionid=s", null))
        .isEqualTo("http://example.com/a;jsessionid=REDACTED");
    assertThat(UrlRedaction.fullUrl("http", "example.com", 80, null, null))
        .isEqualTo("http://example.com");
  }

  @Test
  void fullUrlWithoutHostIsNull() {
    assertThat(UrlRedaction.fullUrl("http", null, 80, "/", null)).isNull();
    assertThat(UrlRedaction.fullUrl("http", "", 80, "/", null)).isNull();
  }

  @Test
  void fullUrlIsBounded() {
    assertThat(UrlRedaction.fullUrl("http", "example.com", 80, "/" + "a".repeat(5_000), "q=1"))
        .hasSize(UrlRedaction.MAX_LENGTH);
  }
}
