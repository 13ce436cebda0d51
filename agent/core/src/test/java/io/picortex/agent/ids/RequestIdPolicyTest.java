package io.picortex.agent.ids;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.Ulid;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdPolicyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "req-123",
        "01HZX3J5Q8M2V7K9T4R6W1Y0BC",
        "550e8400-e29b-41d4-a716-446655440000",
        "svc.frontend:req_42",
        "ABCxyz019._:-"
      })
  void acceptsIdsMadeOfAllowedCharacters(String id) {
    assertThat(RequestIdPolicy.isValid(id)).isTrue();
    assertThat(RequestIdPolicy.acceptOrMint(id)).isSameAs(id);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "abc\r\nSet-Cookie: x=1", // header injection
        "abc\n", // log injection
        "abc\r",
        "with space",
        " leading",
        "tab\t",
        "caf\u00e9", // non-ASCII letter
        "\u0661\u0662", // Arabic-Indic digits: Character.isDigit would say yes
        "emoji\uD83D\uDE00",
        "quote\"",
        "semi;colon",
        "comma,",
        "slash/",
        "equals=",
        "percent%0d%0a",
        "nul\u0000"
      })
  void rejectsEmptyNullAndUnsafeIds(String id) {
    assertThat(RequestIdPolicy.isValid(id)).isFalse();
  }

  @Test
  void acceptsExactly128CharactersAndRejects129() {
    String max = "a".repeat(128);

    assertThat(RequestIdPolicy.isValid(max)).isTrue();
    assertThat(RequestIdPolicy.isValid(max + "a")).isFalse();
  }

  @Test
  void rejectsAHugeId() {
    assertThat(RequestIdPolicy.isValid("a".repeat(10_000_000))).isFalse();
  }

  @Test
  void mintsANewIdInsteadOfAnInvalidOne() {
    String minted = RequestIdPolicy.acceptOrMint("evil\r\nX-Injected: 1");

    assertThat(minted).hasSize(26);
    assertThat(Ulid.isValid(minted)).isTrue();
  }

  @Test
  void mintsANewIdWhenThereIsNone() {
    assertThat(RequestIdPolicy.acceptOrMint(null)).hasSize(26);
    assertThat(RequestIdPolicy.acceptOrMint("")).hasSize(26);
  }

  @Test
  void newIdsAre26CharacterUlidsOfTheCurrentTimeThatPassTheirOwnPolicy() {
    long before = System.currentTimeMillis();
    String id = RequestIdPolicy.newRequestId();
    long after = System.currentTimeMillis();

    assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(Ulid.from(id).getTime()).isBetween(before, after);
    assertThat(RequestIdPolicy.isValid(id)).isTrue();
  }

  @Test
  void newIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIdPolicy.newRequestId());
    }

    assertThat(ids).hasSize(10_000);
  }
}
