package io.picortex.agent.ids;

import com.github.f4b6a3.ulid.Ulid;

/**
 * Decides the request ID: the user-facing string that links a browser, the logs, downstream
 * services and child processes.
 *
 * <p>An incoming ID is echoed in response headers, written to logs and put in child environments,
 * so it is accepted only when it is short and made of characters that are harmless everywhere
 * ({@code [A-Za-z0-9._:-]}, 1 to {@value #MAX_LENGTH}): no CR/LF header or log injection, no
 * quoting problems, no megabyte IDs. Anything else is replaced by a fresh ULID.
 */
public final class RequestIdPolicy {

  /** Longest incoming request ID that is kept. */
  public static final int MAX_LENGTH = 128;

  private RequestIdPolicy() {}

  /** Whether {@code id} is 1 to 128 characters of {@code [A-Za-z0-9._:-]}. */
  public static boolean isValid(String id) {
    if (id == null) {
      return false;
    }
    int length = id.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isAllowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new request ID: a ULID in its 26-character Crockford base32 form, which sorts by creation
   * time. {@link Ulid#fast()} draws from {@code ThreadLocalRandom}, so unlike the library's default
   * factory it neither locks nor touches {@code SecureRandom} on the request path; a request ID
   * only needs to be unique, not unpredictable.
   */
  public static String newRequestId() {
    return Ulid.fast().toString();
  }

  /**
   * {@code incoming} when it {@linkplain #isValid is valid}, otherwise a {@linkplain #newRequestId
   * new} ID.
   */
  public static String acceptOrMint(String incoming) {
    return isValid(incoming) ? incoming : newRequestId();
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }
}
