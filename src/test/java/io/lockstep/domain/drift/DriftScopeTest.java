package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.lockstep.domain.drift.Fixture.BUILDER;
import static io.lockstep.domain.drift.Fixture.CLAUDE_CODE;
import static io.lockstep.domain.drift.Fixture.HERMES;
import static io.lockstep.domain.drift.Fixture.PLATFORM_AGENT;
import static io.lockstep.domain.drift.Fixture.PROD;
import static io.lockstep.domain.drift.Fixture.R40;
import static io.lockstep.domain.drift.Fixture.R43;
import static io.lockstep.domain.drift.Fixture.STAGING;
import static io.lockstep.domain.drift.Fixture.T43;
import static io.lockstep.domain.drift.Fixture.digest;
import static io.lockstep.domain.drift.Fixture.pin;
import static org.assertj.core.api.Assertions.assertThat;

/** The pins a pin write can move, and that drift narrowed to them is the whole drift's, for them. */
class DriftScopeTest {
    private static final List<Pin> PINS = List.of(
            pin("staging", "claude-code", null, digest("cc-43"), T43),
            pin("prod", "claude-code", null, digest("cc-40"), T43),
            pin("staging", "platform-agent", null, digest("pa-40"), T43),
            pin("prod", "platform-agent", null, digest("pa-40"), T43),
            pin("staging", "claude-code", "eu", digest("cc-43"), T43),
            pin("prod", "claude-code", "eu", digest("cc-eu-hand"), T43),
            pin("prod", "platform-agent", "eu", digest("pa-40"), T43),
            pin("staging", "platform-agent", "us", digest("pa-43"), T43),
            pin("prod", "hermes", "eu", digest("hermes-1"), T43),
            pin("staging", "hermes", null, digest("hermes-1"), T43));

    private static DriftInput world() {
        return DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT, HERMES, BUILDER), List.of(STAGING, PROD), PINS,
                List.of(R40, R43), T43.plus(Duration.ofMinutes(45)));
    }

    @Test
    void aHandPromoteInARegionScopesEveryEnvironmentItsWholeGroupAndThatRegion() {
        DriftScope scope = DriftScope.around(Set.of(new PinKey("prod", "claude-code", "eu")), world());
        assertThat(scope.environments()).containsExactlyInAnyOrder("staging", "prod");
        assertThat(scope.templates()).containsExactlyInAnyOrder("claude-code", "platform-agent", "builder");
        assertThat(scope.regions()).containsExactly("eu");
        assertThat(scope.contains(new PinKey("staging", "platform-agent", "eu"))).isTrue();
        assertThat(scope.contains(new PinKey("prod", "platform-agent", "global"))).isFalse();
        assertThat(scope.contains(new PinKey("prod", "hermes", "eu"))).isFalse();
    }

    @Test
    void aGlobalPinOrAPinOnAReleaseScopesEveryRegion() {
        assertThat(DriftScope.around(Set.of(new PinKey("staging", "hermes", "global")), world()))
                .satisfies(s -> assertThat(s.everyRegion()).isTrue())
                .satisfies(s -> assertThat(s.templates()).containsExactly("hermes"));
        // prod's platform-agent in eu is on v0.3.40: a release promote may have used approvals every region counts
        assertThat(DriftScope.around(Set.of(new PinKey("prod", "platform-agent", "eu")), world()).everyRegion()).isTrue();
        assertThat(DriftScope.around(Set.of(new PinKey("prod", "claude-code", "eu")), world()).everyRegion()).isFalse();
    }

    @Test
    void driftNarrowedToAScopeIsTheWholeDriftOfItsPins() {
        DriftInput world = world();
        List<DriftFinding> whole = new DriftEngine().compute(world).findings();
        List<Set<PinKey>> writes = List.of(Set.of(new PinKey("prod", "claude-code", "eu")),
                Set.of(new PinKey("staging", "platform-agent", "us")), Set.of(new PinKey("staging", "hermes", "global")),
                Set.of(new PinKey("prod", "hermes", "eu")), Set.of(new PinKey("prod", "claude-code", "global")));
        for (Set<PinKey> written : writes) {
            DriftScope scope = DriftScope.around(written, world);
            List<DriftFinding> narrowed = new ArrayList<>(new DriftEngine().compute(world.within(scope)).findings());
            narrowed.removeIf(f -> !scope.contains(f.key()));
            List<DriftFinding> expected = whole.stream().filter(f -> scope.contains(f.key())).toList();
            assertThat(expected).as("the scope of " + written + " holds the written pins").isNotEmpty();
            assertThat(narrowed).as("scope of " + written).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** What lets a look after a commit skip walking every pin: both answers need only the pins they name. */
    @Test
    void theScopeNeedsOnlyTheWrittenPinsAndItsPinsAreFoundByKey() {
        DriftInput world = world();
        java.util.Map<PinKey, Pin> byKey = new java.util.HashMap<>();
        PINS.forEach(p -> byKey.put(p.key(), p));
        List<Set<PinKey>> writes = List.of(Set.of(new PinKey("prod", "claude-code", "eu")),
                Set.of(new PinKey("staging", "platform-agent", "us")), Set.of(new PinKey("prod", "hermes", "eu")),
                Set.of(new PinKey("staging", "hermes", "global")), Set.of(new PinKey("prod", "platform-agent", "eu")));
        int named = 0;
        for (Set<PinKey> written : writes) {
            DriftScope scope = DriftScope.around(written, world);
            DriftInput onlyWritten = new DriftInput(world.templates(), world.environments(),
                    written.stream().map(byKey::get).filter(java.util.Objects::nonNull).toList(), world.releases(),
                    world.now(), null, null);
            assertThat(DriftScope.around(written, onlyWritten)).as("scope of " + written).isEqualTo(scope);
            if (scope.everyRegion()) {
                continue;
            }
            named++;
            List<Pin> found = scope.keysNeeded().stream().map(byKey::get).filter(java.util.Objects::nonNull).toList();
            assertThat(found).as("pins of the scope of " + written)
                    .containsExactlyInAnyOrderElementsOf(world.within(scope).pins()).isNotEmpty();
        }
        assertThat(named).isEqualTo(2);
    }
}
