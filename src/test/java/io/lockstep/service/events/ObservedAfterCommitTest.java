package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.drift.DriftState;
import io.lockstep.service.fleet.SeedIncident;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The look after a commit looks only at the pins the commit can have moved (every environment × the written
 * templates' groups × the written regions), on a real server and both stores: it still tells what a promote
 * changes for the template's other environments and its group's other members, and it neither tells nor
 * rewrites anything outside that scope (the scheduled full look tells that).
 */
class ObservedAfterCommitTest {
    @TempDir
    Path dir;

    private static List<Event> driftChangedAfter(TestServer s, long mark) {
        return s.server.store().eventsAfter(mark, 1000).stream().filter(e -> e.type().equals(Event.DRIFT_CHANGED)).toList();
    }

    private static void promote(TestServer s, String env, String template, String digest, String region) {
        Http.Response r = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.CI,
                "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\"" + (region == null ? "" : ",\"region\":\""
                        + region + "\"") + "}");
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> to(Event e) {
        return (Map<String, Object>) e.data().get("to");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStagingPromoteIsToldForProdAndForTheGroupsOtherMembersByTheLookAfterTheCommit(StoreKind kind) {
        // the schedule's first look is an hour away: only the look after the commit can tell these
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 1h}\n")) {
            new SeedIncident(s).replay(); // v0.3.40 everywhere, claude-code alone on v0.3.43 in both environments
            ObservedEvents observer = s.server.observedEvents();
            observer.runOnce();
            long mark = s.server.store().lastEventId();

            // staging's claude-code back on v0.3.40: in flight to v0.3.43 again; prod's claude-code is now ahead of
            // its upstream; staging's other members are no longer split from it (only in flight to v0.3.43)
            promote(s, "staging", "claude-code", SeedIncident.digest("claude-code", SeedIncident.OLD), null);

            await().atMost(Duration.ofSeconds(20)).until(() -> driftChangedAfter(s, mark).size() >= 6);
            List<Event> told = driftChangedAfter(s, mark);
            assertThat(told).extracting(e -> e.environment() + "/" + e.template()).containsExactlyInAnyOrder(
                    "prod/claude-code", "staging/claude-code", "staging/platform-agent", "staging/hermes", "staging/codex", "staging/openclaw");
            Event prod = told.stream().filter(e -> e.environment().equals("prod")).findFirst().orElseThrow();
            assertThat(prod.data().get("from")).isEqualTo(Map.of("status", "current", "flags", List.of()));
            assertThat(to(prod)).isEqualTo(Map.of("status", "ahead_of_upstream", "flags", List.of()));
            assertThat(told).filteredOn(e -> e.environment().equals("staging") && e.template().equals("claude-code"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.data().get("from")).isEqualTo(Map.of("status", "current", "flags", List.of()));
                        assertThat(to(e)).isEqualTo(Map.of("status", "in_flight", "flags", List.of()));
                    });
            assertThat(told).filteredOn(e -> e.environment().equals("staging") && !e.template().equals("claude-code"))
                    .allSatisfy(e -> {
                assertThat(e.data().get("from")).isEqualTo(Map.of("status", "split", "flags", List.of("in_flight")));
                assertThat(to(e)).isEqualTo(Map.of("status", "in_flight", "flags", List.of()));
            });
            assertThat(observer.runOnce()).as("the full look finds nothing left to tell").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLookAfterACommitLeavesPinsOutsideItsScopeToTheScheduledLook(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 0s}\n")) {
            new SeedIncident(s).replay();
            ObservedEvents observer = s.server.observedEvents();
            observer.runOnce();
            s.clock.advance(Duration.ofMinutes(26)); // eight members past the grace period: stuck, not told yet
            Map<PinKey, DriftState> before = s.server.store().driftStates();
            long mark = s.server.store().lastEventId();

            // a template of no group, in global: its own pins only
            promote(s, "staging", "solo", TestConfig.digest("solo 1"), null);
            PinKey solo = new PinKey("staging", "solo", "global");
            assertThat(observer.runAfter(Set.of(solo))).as("its own change is told").singleElement()
                    .satisfies(e -> assertThat(List.of(e.environment(), e.template(), to(e).get("status")))
                            .containsExactly("staging", "solo", "unknown"));
            // a group member in a region of its own, on no release: the group in that region only
            promote(s, "staging", "claude-code", TestConfig.digest("claude-code eu"), "eu");
            assertThat(observer.runAfter(Set.of(new PinKey("staging", "claude-code", "eu")))).isEmpty();

            Map<PinKey, DriftState> after = s.server.store().driftStates();
            Map<PinKey, DriftState> added = new HashMap<>(after);
            added.keySet().removeAll(before.keySet());
            assertThat(added.keySet()).as("first sight of the new region's pins, silent")
                    .containsExactlyInAnyOrder(new PinKey("staging", "claude-code", "eu"), new PinKey("prod", "claude-code", "eu"));
            before.forEach((key, state) -> {
                if (!key.equals(solo)) {
                    assertThat(after.get(key)).as("not rewritten: " + key).isEqualTo(state);
                }
            });
            assertThat(driftChangedAfter(s, mark)).hasSize(1);

            List<Event> stuck = observer.runOnce();
            assertThat(stuck).as("the scheduled look still tells them").hasSize(8)
                    .allSatisfy(e -> assertThat(to(e).get("status")).isEqualTo("stuck"));
        }
    }

    @org.junit.jupiter.api.Test
    void commitsAfterALookGatherTheirPinsHoweverManyAndAskForAFullLookOnlyForMostPinsOrANonPinWrite() {
        ObservedEvents.Asked asked = null;
        for (int i = 0; i < 300; i++) { // more than a Change carries before it turns into "everything"
            asked = ObservedEvents.Asked.merge(asked, ObservedEvents.Asked.of(
                    io.lockstep.store.Change.of(Set.of(new PinKey("prod", "codex", "r" + i)))));
        }
        assertThat(asked.everything()).isFalse();
        assertThat(asked.pins()).hasSize(300);
        assertThat(asked.wantsFullLook(10_000)).as("300 of 10,000 pins: a look around them").isFalse();
        assertThat(asked.wantsFullLook(500)).as("300 of 500 pins: a full look is as cheap").isTrue();
        assertThat(ObservedEvents.Asked.merge(asked, ObservedEvents.Asked.of(io.lockstep.store.Change.of(Set.of()))))
                .as("a commit that wrote no pin").isEqualTo(ObservedEvents.Asked.EVERYTHING);
        assertThat(ObservedEvents.Asked.merge(asked, ObservedEvents.Asked.of(io.lockstep.store.Change.everything()))
                .wantsFullLook(10_000)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLookAfterCommitsThatWroteFewOfThePinsLooksAroundThemNotAtEveryPin(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 0s}\n")) {
            new SeedIncident(s).replay();
            ObservedEvents observer = s.server.observedEvents();
            observer.runOnce();
            long full = observer.fullLooks();
            Set<PinKey> written = Set.of(new PinKey("staging", "solo", "global"), new PinKey("staging", "codex", "global"));
            promote(s, "staging", "solo", TestConfig.digest("solo 1"), null);
            long mark = s.server.store().lastEventId();
            observer.lookAfterCommits(new ObservedEvents.Asked(written, false));
            assertThat(observer.fullLooks()).as("no full look for 2 written pins")
                    .isEqualTo(full);
            assertThat(driftChangedAfter(s, mark)).extracting(e -> e.environment() + "/" + e.template() + "/" + e.region())
                    .as("the promote's own change is told by the look around it").contains("staging/solo/global");
        }
    }
}
