package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.pin;
import static org.assertj.core.api.Assertions.assertThat;

class CrossEnvironmentComparisonTest {
    private static final String A = digest("a");
    private static final String B = digest("b");

    @Test
    void samePinsOnTwoTargetsAgree() {
        List<Pin> pins = List.of(pin("prod", "claude-code", A), pin("prod", "platform-agent", B));

        assertThat(CrossEnvironmentComparison.compare(List.of(new PinSource("cp-1", pins), new PinSource("cp-2", pins))))
                .isEmpty();
    }

    @Test
    void differentDigestsForTheSameEnvironmentOnTwoTargetsDisagree() {
        PinSource one = new PinSource("cp-1", List.of(pin("prod", "platform-agent", A), pin("prod", "claude-code", A)));
        PinSource two = new PinSource("cp-2", List.of(pin("prod", "platform-agent", B), pin("prod", "claude-code", A)));

        List<PinDisagreement> out = CrossEnvironmentComparison.compare(List.of(one, two));

        assertThat(out).hasSize(1);
        PinDisagreement d = out.get(0);
        assertThat(d.peer()).isEqualTo("prod");
        assertThat(d.template()).isEqualTo("platform-agent");
        assertThat(d.digests()).isEqualTo(Map.of("prod@cp-1", A, "prod@cp-2", B));
        assertThat(d.missingAt()).isEmpty();
        assertThat(d.explanation()).isEqualTo("platform-agent disagrees across prod: prod@cp-1 runs " + A.substring(0, 19)
                + ", prod@cp-2 runs " + B.substring(0, 19) + "; promote the same digest to every prod target.");
    }

    @Test
    void aPinMissingOnOneTargetIsADisagreement() {
        PinSource one = new PinSource("cp-1", List.of(pin("prod", "claude-code", A), pin("prod", "hermes", "eu", B, Fixture.T40)));
        PinSource two = new PinSource("cp-2", List.of(pin("prod", "claude-code", A)));

        List<PinDisagreement> out = CrossEnvironmentComparison.compare(List.of(one, two));

        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.template()).isEqualTo("hermes");
            assertThat(d.region()).isEqualTo("eu");
            assertThat(d.missingAt()).containsExactly("prod@cp-2");
            assertThat(d.explanation()).startsWith("hermes (region eu) disagrees across prod:")
                    .contains("prod@cp-2 has no pin");
        });
    }

    @Test
    void peerMappingComparesDifferentlyNamedEnvironmentsOnOneServer() {
        PinSource server = new PinSource("cp", List.of(pin("prod-a", "claude-code", A), pin("prod-b", "claude-code", B),
                pin("staging", "claude-code", B)));

        List<PinDisagreement> byName = CrossEnvironmentComparison.compare(List.of(server));
        List<PinDisagreement> byPeer = CrossEnvironmentComparison.compare(List.of(server),
                env -> env.startsWith("prod-") ? "prod" : env);

        assertThat(byName).isEmpty();
        assertThat(byPeer).singleElement().satisfies(d -> {
            assertThat(d.peer()).isEqualTo("prod");
            assertThat(d.sortedDigests()).containsExactly(Map.entry("prod-a@cp", A), Map.entry("prod-b@cp", B));
        });
    }

    @Test
    void stagingAndProdAreNotExpectedToAgree() {
        PinSource one = new PinSource("cp-1", List.of(pin("staging", "claude-code", A)));
        PinSource two = new PinSource("cp-2", List.of(pin("prod", "claude-code", B)));

        assertThat(CrossEnvironmentComparison.compare(List.of(one, two))).isEmpty();
    }
}
