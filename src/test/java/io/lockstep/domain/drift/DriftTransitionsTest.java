package io.lockstep.domain.drift;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Transitions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lockstep.domain.drift.DriftStatus.CURRENT;
import static io.lockstep.domain.drift.DriftStatus.IMAGE_GONE;
import static io.lockstep.domain.drift.DriftStatus.IN_FLIGHT;
import static io.lockstep.domain.drift.DriftStatus.MIRROR_STALE;
import static io.lockstep.domain.drift.DriftStatus.SPLIT;
import static io.lockstep.domain.drift.DriftStatus.STUCK;
import static org.assertj.core.api.Assertions.assertThat;

/** The pure rule of drift.changed / image.gone / mirror.stale: time and the last told state are inputs. */
class DriftTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final PinKey PROD_AGENT = new PinKey("prod", "platform-agent", "global");
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private static DriftFinding finding(PinKey key, DriftStatus status, Set<DriftStatus> flags, String explanation) {
        return new DriftFinding(key.environment(), key.template(), key.region(), "runtime", status, flags, DIGEST,
                "runtime@v1", "v1", "runtime@v2", "v2", 1, T0, java.time.Duration.ofHours(1), explanation);
    }

    private static DriftState state(PinKey key, DriftStatus status, Set<DriftStatus> flags) {
        return new DriftState(key, status, flags, "told before", T0);
    }

    @Test
    void firstSightIsRecordedWithoutAnEvent() {
        Transitions<DriftState> t = DriftTransitions.between(Map.of(),
                List.of(finding(PROD_AGENT, STUCK, Set.of(), "stuck")), Set.of(), T0);
        assertThat(t.events()).isEmpty();
        assertThat(t.save()).containsExactly(new DriftState(PROD_AGENT, STUCK, Set.of(), "stuck", T0));
    }

    @Test
    void aChangedStatusIsOneDriftChangedWithFromToAndTheExplanation() {
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, IN_FLIGHT, Set.of()));
        Instant later = T0.plusSeconds(1800);
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, STUCK, EnumSet.of(SPLIT), "past the 30m grace period")), Set.of(), later);
        assertThat(t.events()).hasSize(1);
        Event e = t.events().get(0);
        assertThat(e.type()).isEqualTo(Event.DRIFT_CHANGED);
        assertThat(e.at()).isEqualTo(later);
        assertThat(e.actor()).isNull();
        assertThat(e.group()).isEqualTo("runtime");
        assertThat(List.of(e.environment(), e.template(), e.region())).containsExactly("prod", "platform-agent", "global");
        assertThat(e.data().get("from")).isEqualTo(Map.of("status", "in_flight", "flags", List.of()));
        assertThat(e.data().get("to")).isEqualTo(Map.of("status", "stuck", "flags", List.of("split")));
        assertThat(e.data()).containsEntry("explanation", "past the 30m grace period")
                .containsEntry("pinned_digest", DIGEST).containsEntry("newest_release", "runtime@v2");
        assertThat(t.save()).containsExactly(new DriftState(PROD_AGENT, STUCK, EnumSet.of(SPLIT),
                "past the 30m grace period", later));
    }

    @Test
    void sameStatusAndFlagsIsNoChangeEvenWhenTheExplanationMovedOn() {
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, STUCK, Set.of(SPLIT)));
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, STUCK, Set.of(SPLIT), "behind for 2h5m now")), Set.of(), T0.plusSeconds(99));
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.events()).isEmpty();
    }

    @Test
    void aChangedFlagAloneIsAChange() {
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, STUCK, Set.of()));
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, STUCK, Set.of(SPLIT), "x")), Set.of(), T0);
        assertThat(t.events()).extracting(Event::type).containsExactly(Event.DRIFT_CHANGED);
    }

    @Test
    void gainingImageGoneOrMirrorStaleAlsoTellsItsOwnEventOnceNotWhileItStays() {
        Map<PinKey, DriftState> known = new HashMap<>(Map.of(PROD_AGENT, state(PROD_AGENT, CURRENT, Set.of())));
        Transitions<DriftState> gone = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, IMAGE_GONE, Set.of(MIRROR_STALE), "gone")), Set.of(), T0);
        assertThat(gone.events()).extracting(Event::type)
                .containsExactly(Event.DRIFT_CHANGED, Event.IMAGE_GONE, Event.MIRROR_STALE);
        assertThat(gone.events().get(1).data()).containsEntry("digest", DIGEST).containsEntry("explanation", "gone");

        known.put(PROD_AGENT, gone.save().get(0));
        // still gone, the mirror repaired: a drift change, but no second image.gone
        Transitions<DriftState> still = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, IMAGE_GONE, Set.of(), "gone")), Set.of(), T0);
        assertThat(still.events()).extracting(Event::type).containsExactly(Event.DRIFT_CHANGED);
    }

    @Test
    void unvouchedStatusesKeepTheStateLastToldSoARestartDoesNotTellTheImageCameBack() {
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, IMAGE_GONE, Set.of()));
        // a fresh replica: its audit has not run, so drift does not see the image gone
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, CURRENT, Set.of(), "current")), Set.of(IMAGE_GONE, MIRROR_STALE), T0);
        assertThat(t.isEmpty()).isTrue();
        // once its audit ran, the image being back is a change
        Transitions<DriftState> vouched = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, CURRENT, Set.of(), "current")), Set.of(), T0);
        assertThat(vouched.events()).extracting(Event::type).containsExactly(Event.DRIFT_CHANGED);
        assertThat(vouched.events().get(0).data().get("to")).isEqualTo(Map.of("status", "current", "flags", List.of()));
    }

    @Test
    void unvouchedStatusesDoNotHideOtherChanges() {
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, IMAGE_GONE, Set.of(IN_FLIGHT)));
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, STUCK, Set.of(), "stuck")), Set.of(IMAGE_GONE, MIRROR_STALE), T0);
        assertThat(t.events()).extracting(Event::type).containsExactly(Event.DRIFT_CHANGED);
        assertThat(t.events().get(0).data().get("to")).isEqualTo(Map.of("status", "image_gone", "flags", List.of("stuck")));
        assertThat(t.events()).extracting(Event::type).doesNotContain(Event.IMAGE_GONE);
    }

    @Test
    void aPinNoLongerInTheDriftIsForgottenSilently() {
        PinKey gone = new PinKey("staging", "solo", "global");
        Map<PinKey, DriftState> known = Map.of(PROD_AGENT, state(PROD_AGENT, STUCK, Set.of()),
                gone, state(gone, CURRENT, Set.of()));
        Transitions<DriftState> t = DriftTransitions.between(known,
                List.of(finding(PROD_AGENT, STUCK, Set.of(), "x")), Set.of(), T0);
        assertThat(t.forget()).containsExactly(gone);
        assertThat(t.events()).isEmpty();
        assertThat(t.isEmpty()).isFalse();
    }
}
