package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicingTest {

  @Test
  void fullModeMeasuresInSlicesOfFiveSecondsAndQuickModeInOne() {
    Options full = Options.parse("full", "--root=.");
    assertThat(full.slices()).isEqualTo(4);
    assertThat(full.duration().dividedBy(full.slices())).isEqualTo(Duration.ofSeconds(5));
    assertThat(Options.parse("quick", "--root=.").slices()).isEqualTo(1);
    assertThat(Options.parse("quick", "--root=.", "--slices=5").slices()).isEqualTo(5);
  }

  @Test
  void aSliceShorterThanASecondIsRefusedNamingBothOptions() {
    assertThatThrownBy(() -> Options.parse("quick", "--root=.", "--duration=3", "--slices=4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--slices=4")
        .hasMessageContaining("--duration=3");
    assertThatThrownBy(() -> Options.parse("quick", "--root=.", "--slices=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slices");
  }

  @Test
  void rotationChangesWhoGoesFirstFromTurnToTurn() {
    List<String> configs = List.of("none", "picortex", "otel");
    assertThat(OverheadHarness.rotated(configs, 0)).containsExactly("none", "picortex", "otel");
    assertThat(OverheadHarness.rotated(configs, 1)).containsExactly("picortex", "otel", "none");
    assertThat(OverheadHarness.rotated(configs, 2)).containsExactly("otel", "none", "picortex");
    assertThat(OverheadHarness.rotated(configs, 3)).containsExactly("none", "picortex", "otel");
    assertThat(OverheadHarness.rotated(List.of("picortex"), 7)).containsExactly("picortex");
    assertThat(configs).as("the list given is left as it was").containsExactly("none", "picortex", "otel");
  }
}
