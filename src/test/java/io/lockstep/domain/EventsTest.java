package io.lockstep.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.wire.EventJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure event factories (issue 13): what each fact says, and that its data survives the JSON of an event. */
class EventsTest {
    private static final Instant AT = Instant.parse("2026-12-02T12:00:00Z");
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    /** Every factory's data is JSON values only: written and read back, the event is the same. */
    private static Event roundTrip(Event e) throws Exception {
        Event back = EventJson.read(new ObjectMapper().readTree(EventJson.text(e.withId(7))));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(back.data())).isEqualTo(json.writeValueAsString(e.data()));
        assertThat(back.type()).isEqualTo(e.type());
        assertThat(Event.isKnownType(e.type())).isTrue();
        return back;
    }

    @Test
    void pinMovedIsPromotedOrRolledBackWithFromAndTo() throws Exception {
        PinKey key = new PinKey("prod", "hermes", "global");
        Pin before = new PinChange(key, null, D1, "abc1234", "1.0.0", null, "ci", Map.of(), Action.PROMOTE, AT, null)
                .pin("registry.example.com/hermes@" + D1, 1);
        PinChange promote = new PinChange(key, D1, D2, "def5678", "1.1.0", "n", "ci", Map.of(), Action.PROMOTE, AT, null);
        Event e = Events.pinMoved(promote, Optional.of(before), "runtime", 42);
        assertThat(e.type()).isEqualTo(Event.PIN_PROMOTED);
        assertThat(e.actor()).isEqualTo("ci");
        assertThat(e.group()).isEqualTo("runtime");
        assertThat(((Map<?, ?>) e.data().get("from")).get("digest")).isEqualTo(D1);
        assertThat(((Map<?, ?>) e.data().get("to")).get("digest")).isEqualTo(D2);
        assertThat(e.data().get("history_seq")).isEqualTo(42L);
        assertThat(e.data()).doesNotContainKey("override");
        roundTrip(e);
        PinChange back = new PinChange(key, D2, D1, null, null, null, "ci", Map.of(), Action.ROLLBACK, AT, null);
        assertThat(Events.pinMoved(back, Optional.empty(), null, 43).type()).isEqualTo(Event.PIN_ROLLED_BACK);
    }

    @Test
    void overrideUsedOnlyWhenItLiftedSomething() throws Exception {
        PinKey key = new PinKey("prod", "hermes", "global");
        PinChange change = new PinChange(key, D1, D2, null, null, null, "admin", Map.of(), Action.PROMOTE, AT, null);
        assertThat(Events.overrideUsed(change, "runtime")).isEmpty();
        assertThat(Events.overrideUsed(change.overriding("hotfix", List.of()), "runtime")).as("lifted nothing").isEmpty();
        Event used = Events.overrideUsed(change.overriding("hotfix", List.of("FROZEN")), "runtime").orElseThrow();
        assertThat(used.type()).isEqualTo(Event.OVERRIDE_USED);
        assertThat(used.data().get("overrode")).isEqualTo(List.of("FROZEN"));
        assertThat(used.template()).isEqualTo("hermes");
        roundTrip(used);
    }

    @Test
    void releaseRegisteredReplacedAndWithdrawn() throws Exception {
        Release r = new Release("runtime@1.0.0", "runtime", "1.0.0", "abc1234", Map.of("hermes", D1, "codex", D2),
                Map.of("solo", "not built"), AT, "ci", Registrants.of("ci", Set.of("staging")));
        Event registered = Events.releaseRegistered(r);
        assertThat(registered.type()).isEqualTo(Event.RELEASE_REGISTERED);
        assertThat(registered.group()).isEqualTo("runtime");
        assertThat(registered.environment()).isNull();
        assertThat(registered.actor()).isEqualTo("ci");
        assertThat(registered.data().get("images")).isEqualTo(Map.of("hermes", D1, "codex", D2));
        assertThat(registered.data().get("exclude")).isEqualTo(Map.of("solo", "not built"));
        assertThat(registered.data().get("registrants"))
                .isEqualTo(Map.of("tokens", List.of("ci"), "environments", List.of("staging")));
        roundTrip(registered);

        Release again = new Release(r.id(), "runtime", "1.0.0", "abc1234", Map.of("hermes", D2), Map.of(), AT, "ci2");
        Event replaced = Events.releaseReplaced(r, again, "ci2");
        assertThat(replaced.type()).isEqualTo(Event.RELEASE_REPLACED);
        assertThat(replaced.actor()).isEqualTo("ci2");
        assertThat(replaced.data().get("from")).isEqualTo(Map.of("hermes", D1, "codex", D2));
        assertThat(replaced.data().get("to")).isEqualTo(Map.of("hermes", D2));
        roundTrip(replaced);

        Event withdrawn = Events.releaseWithdrawn(r, new ReleaseEvent(r.id(), "runtime", ReleaseEvent.Kind.WITHDRAWN,
                r.images(), null, "ops", "bad base", AT.plusSeconds(5)));
        assertThat(withdrawn.type()).isEqualTo(Event.RELEASE_WITHDRAWN);
        assertThat(withdrawn.actor()).isEqualTo("ops");
        assertThat(withdrawn.at()).isEqualTo(AT.plusSeconds(5));
        assertThat(withdrawn.data().get("reason")).isEqualTo("bad base");
        roundTrip(withdrawn);
    }

    @Test
    void approvalsSayWhoAndWhat() throws Exception {
        Approval a = new Approval("ap-1", "prod", null, "hermes", D1, "eu", "alice", List.of("approve"), "ok", AT,
                AT.plusSeconds(3600), null, null, null);
        Event given = Events.approvalGiven(a, "runtime");
        assertThat(given.type()).isEqualTo(Event.APPROVAL_GIVEN);
        assertThat(List.of(given.environment(), given.template(), given.region(), given.group(), given.actor()))
                .containsExactly("prod", "hermes", "eu", "runtime", "alice");
        assertThat(given.data().get("expires_at")).isEqualTo("2026-12-02T13:00:00Z");
        roundTrip(given);

        Event revoked = Events.approvalRevoked(a.revoked(AT.plusSeconds(60), "admin"), "runtime");
        assertThat(revoked.type()).isEqualTo(Event.APPROVAL_REVOKED);
        assertThat(revoked.actor()).as("who revoked, not who approved").isEqualTo("admin");
        assertThat(revoked.at()).isEqualTo(AT.plusSeconds(60));
        assertThat(revoked.data().get("approver")).isEqualTo("alice");
        roundTrip(revoked);

        Event requested = Events.approvalRequested(new ApprovalRequest("rq-1", "prod", "runtime@1.0.0", null, null, null,
                "ci", AT), "runtime");
        assertThat(requested.type()).isEqualTo(Event.APPROVAL_REQUESTED);
        assertThat(requested.actor()).isEqualTo("ci");
        assertThat(requested.data().get("release")).isEqualTo("runtime@1.0.0");
        roundTrip(requested);
    }

    @Test
    void freezesStartAndLift() throws Exception {
        LineStop stop = new LineStop("fz-1", "prod", "runtime", "incident", "ci", AT, AT.plusSeconds(3600));
        Event started = Events.freezeStarted(stop);
        assertThat(started.type()).isEqualTo(Event.FREEZE_STARTED);
        assertThat(List.of(started.environment(), started.group(), started.actor())).containsExactly("prod", "runtime", "ci");
        assertThat(started.data().get("until")).isEqualTo("2026-12-02T13:00:00Z");
        roundTrip(started);

        Event lifted = Events.freezeLifted(stop.lifted(AT.plusSeconds(60), "admin", "fixed"));
        assertThat(lifted.type()).isEqualTo(Event.FREEZE_LIFTED);
        assertThat(lifted.actor()).isEqualTo("admin");
        assertThat(lifted.at()).isEqualTo(AT.plusSeconds(60));
        assertThat(lifted.data().get("lift_reason")).isEqualTo("fixed");
        assertThat(lifted.data().get("stopped_by")).isEqualTo("ci");
        Event forever = Events.freezeStarted(new LineStop("fz-2", "prod", null, "x", "ci", AT, null));
        assertThat(forever.data()).containsEntry("until", null);
        roundTrip(lifted);
    }

    @Test
    void policyChangedCarriesTheDocumentOrNull() throws Exception {
        Event set = Events.policyChanged(new PolicyChange(3, "prod", "{}", "admin", "CHG-1", AT),
                Map.of("approvals", Map.of("count", 1)));
        assertThat(set.data().get("action")).isEqualTo("set");
        assertThat(set.data().get("seq")).isEqualTo(3L);
        assertThat(set.environment()).isEqualTo("prod");
        roundTrip(set);
        Event reset = Events.policyChanged(new PolicyChange(4, "prod", null, "admin", "back", AT), null);
        assertThat(reset.data().get("action")).isEqualTo("reset_to_config");
        assertThat(reset.data()).containsEntry("policy", null);
        roundTrip(reset);
    }
}
