package io.lockstep.domain.drift;

import io.lockstep.domain.LockstepException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriftStatusTest {

    @Test
    void precedenceIsTheDocumentedOrder() {
        assertThat(DriftStatus.values()).containsExactly(MISSING, IMAGE_GONE, UNKNOWN, HELD, STUCK, SPLIT,
                SOAKING, AWAITING_APPROVAL, FROZEN, BEHIND_UPSTREAM, AHEAD_OF_UPSTREAM, UPSTREAM_UNREACHABLE, MIRROR_STALE, UNVERIFIED, IN_FLIGHT, CURRENT);
    }

    @Test
    void primaryIsTheFirstApplicableStatus() {
        assertThat(DriftStatus.primaryOf(EnumSet.of(IN_FLIGHT, SPLIT))).isEqualTo(SPLIT);
        assertThat(DriftStatus.primaryOf(EnumSet.of(SPLIT, STUCK))).isEqualTo(STUCK);
        assertThat(DriftStatus.primaryOf(EnumSet.of(STUCK, HELD))).isEqualTo(HELD);
        assertThat(DriftStatus.primaryOf(Set.of())).isEqualTo(CURRENT);
    }

    @Test
    void wireNamesRoundTripAndAcceptHyphens() {
        for (DriftStatus s : DriftStatus.values()) {
            assertThat(DriftStatus.fromWire(s.wire())).isEqualTo(s);
        }
        assertThat(DriftStatus.fromWire(" In-Flight ")).isEqualTo(IN_FLIGHT);
        assertThat(AHEAD_OF_UPSTREAM.wire()).isEqualTo("ahead_of_upstream");
    }

    @Test
    void failingByDefaultIsEveryStatusButCurrentInFlightAndThePolicyWaits() {
        Set<DriftStatus> expected = EnumSet.allOf(DriftStatus.class);
        expected.removeAll(Set.of(CURRENT, IN_FLIGHT, SOAKING, AWAITING_APPROVAL, FROZEN));
        assertThat(DriftStatus.failingByDefault()).isEqualTo(expected)
                .doesNotContain(CURRENT, IN_FLIGHT, SOAKING, AWAITING_APPROVAL, FROZEN)
                .hasSize(DriftStatus.values().length - 5);
        assertThat(DriftStatus.parseList("soaking,awaiting_approval,frozen"))
                .containsExactlyInAnyOrder(SOAKING, AWAITING_APPROVAL, FROZEN);
    }

    @Test
    void unknownWordNamesTheValidOnes() {
        assertThatThrownBy(() -> DriftStatus.fromWire("stale"))
                .isInstanceOf(LockstepException.class)
                .hasMessageContaining("\"stale\"")
                .hasMessageContaining("stuck, split");
    }

    @Test
    void failOnListParses() {
        assertThat(DriftStatus.parseList("stuck,split, missing,")).containsExactlyInAnyOrder(STUCK, SPLIT, MISSING);
        assertThat(DriftStatus.parseList("")).isEmpty();
        assertThat(DriftStatus.parseList(null)).isEmpty();
    }
}
