package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The release-vouching rule on its own: union on re-registration, never narrowing, null means everywhere. */
class RegistrantsTest {
    private static final Registrants STAGING = Registrants.of("staging-ci", Set.of("staging"));

    @Test
    void aWiderReachIsAddedAndANarrowerOneChangesNothing() {
        Registrants both = STAGING.widenedBy(Registrants.of("prod-ci", Set.of("prod")));
        assertThat(both).isEqualTo(new Registrants(List.of("staging-ci", "prod-ci"), Set.of("prod", "staging")));
        assertThat(both.widenedBy(Registrants.of("staging-ci", Set.of("staging")))).isSameAs(both);
        assertThat(both.widenedBy(Registrants.of("other", Set.of("prod", "staging")))).isSameAs(both);

        Registrants everywhere = both.widenedBy(Registrants.of("ci", null));
        assertThat(everywhere.everyEnvironment()).isTrue();
        assertThat(everywhere.tokens()).containsExactly("staging-ci", "prod-ci", "ci");
        assertThat(everywhere.widenedBy(STAGING)).isSameAs(everywhere);
    }

    @Test
    void aReleaseIsPromotableOnlyWhereItsRegistrantsMayWrite() {
        Release r = new Release("runtime@v1.0.2", "runtime", "v1.0.2", null, Map.of("hermes", "sha256:" + "a".repeat(64)),
                Map.of(), java.time.Instant.EPOCH, "staging-ci", STAGING);
        r.requireVouchedFor("staging");
        assertThatThrownBy(() -> r.requireVouchedFor("prod")).isInstanceOfSatisfying(LockstepException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(e.code()).isEqualTo("RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT");
            assertThat(e.getMessage()).contains("staging-ci").contains("prod");
        });
        // Rows from before registrants were recorded: the creator, every environment.
        Release legacy = new Release("runtime@v0.1.0", "runtime", "v0.1.0", null, Map.of(), Map.of(),
                java.time.Instant.EPOCH, "old-ci");
        assertThat(legacy.registrants()).isEqualTo(Registrants.of("old-ci", null));
        legacy.requireVouchedFor("prod");
    }
}
