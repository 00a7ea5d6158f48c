package io.lockstep.domain;

import io.lockstep.domain.PromotionGate.Facts;
import io.lockstep.domain.PromotionGate.Origin;
import io.lockstep.domain.PromotionGate.Proposal;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's FROZEN clause: an environment's freeze windows refuse every change but a rollback while active. */
class PromotionGateFreezeTest {
    private static final Template AGENT = new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true);
    private static final PinKey KEY = new PinKey("prod", "platform-agent", null);
    private static final FreezeWindow WEEKEND = FreezeWindow.weekly("weekend", DayOfWeek.FRIDAY, LocalTime.of(16, 0),
            DayOfWeek.MONDAY, LocalTime.of(8, 0), ZoneId.of("Europe/Berlin"));
    private static final FreezeWindow NIGHTLY = FreezeWindow.daily("nightly", LocalTime.of(22, 0), LocalTime.of(6, 0),
            ZoneOffset.UTC);
    private static final FreezeWindow HOLIDAYS = FreezeWindow.once("holidays",
            OffsetDateTime.parse("2026-12-24T00:00:00+01:00"), OffsetDateTime.parse("2027-01-02T00:00:00+01:00"), null);

    private static Environment prod(FreezeWindow... windows) {
        return new Environment("prod", "staging", Environment.RequiredProvenance.NONE, false, null, false,
                OnImageGone.WARN, PromotionPolicy.frozenDuring(List.of(windows)));
    }

    private static List<Refusal> refusals(Environment env, Origin origin, String now) {
        return PromotionGate.refusals(new Proposal(env, origin, List.of(KEY), Map.of(), null, null),
                new Facts(Instant.parse(now), List.of(), List.of(AGENT), Optional.empty(), null, Map.of()));
    }

    private static List<String> codes(List<Refusal> refusals) {
        return refusals.stream().map(r -> r.problem().code()).toList();
    }

    @Test
    void anActiveWindowRefusesNamingEnvironmentWindowAndEndWithRetryAfter() {
        List<Refusal> r = refusals(prod(WEEKEND), Origin.MANUAL, "2026-12-06T07:00:00Z"); // Sunday 08:00 Berlin
        assertThat(codes(r)).containsExactly("FROZEN");
        assertThat(r.get(0).problem().kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(r.get(0).problem().retryable()).isTrue();
        assertThat(r.get(0).message()).isEqualTo("prod is frozen by window weekend until 2026-12-07T08:00+01:00"
                + " (Europe/Berlin); retry after 86401 s (a rollback is still allowed).");
        assertThat(r.get(0).details()).containsEntry("window", "weekend").containsEntry("zone", "Europe/Berlin")
                .containsEntry("frozen_until", "2026-12-07T08:00+01:00").containsEntry("retry_after_seconds", 86401L);
    }

    @Test
    void atTheStartItIsFrozenAndAtTheEndItIsOpen() {
        assertThat(codes(refusals(prod(WEEKEND), Origin.MANUAL, "2026-12-04T15:00:00Z"))).containsExactly("FROZEN");
        assertThat(refusals(prod(WEEKEND), Origin.MANUAL, "2026-12-04T14:59:59Z")).isEmpty();
        assertThat(refusals(prod(WEEKEND), Origin.MANUAL, "2026-12-07T07:00:00Z")).isEmpty();
        assertThat(refusals(prod(), Origin.MANUAL, "2026-12-05T12:00:00Z")).isEmpty(); // no windows, no freeze
    }

    @Test
    void everyEntryPointButARollbackIsRefused() {
        for (Origin origin : List.of(Origin.MANUAL, Origin.RELEASE, Origin.AUTO)) {
            assertThat(codes(refusals(prod(NIGHTLY), origin, "2026-12-01T23:00:00Z"))).as(origin.name())
                    .containsExactly("FROZEN");
        }
        // the emergency exit: a rollback returns to a digest prod already ran
        assertThat(refusals(prod(NIGHTLY), Origin.ROLLBACK, "2026-12-01T23:00:00Z")).isEmpty();
    }

    @Test
    void everyActiveWindowIsAReasonTheOneEndingLastFirst() {
        // Christmas Eve 2026 is a Thursday; at 23:30 UTC both the nightly and the holiday freeze hold
        List<Refusal> r = refusals(prod(NIGHTLY, HOLIDAYS, WEEKEND), Origin.MANUAL, "2026-12-24T23:30:00Z");
        assertThat(codes(r)).containsExactly("FROZEN", "FROZEN");
        assertThat(r.stream().map(x -> x.details().get("window"))).containsExactly("holidays", "nightly");
        assertThat(r.get(0).details().get("frozen_until")).isEqualTo("2027-01-02T00:00+01:00");
    }

    @Test
    void aFreezeComesAfterAFenceAndBeforeADigestConflict() {
        Fence fence = new Fence("f-1", "prod", "migration", "oncall", Instant.parse("2026-12-01T22:00:00Z"),
                Instant.parse("2026-12-01T23:30:00Z"));
        List<Refusal> r = PromotionGate.refusals(
                new Proposal(prod(NIGHTLY), Origin.MANUAL, List.of(KEY), Map.of(), null, "sha256:" + "a".repeat(64)),
                new Facts(Instant.parse("2026-12-01T23:00:00Z"), List.of(fence), List.of(AGENT), Optional.empty(), null,
                        Map.of()));
        assertThat(codes(r)).containsExactly("FENCED", "FROZEN", "DIGEST_CONFLICT");
    }
}
