package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.service.fleet.SeedIncident;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events the server observes rather than a write causing them, on a real server and both stores:
 * drift.changed when time alone makes a pin STUCK, fleet.converged / fleet.regressed on a crossing, each
 * told once across runs, restarts and (PostgreSQL) two replicas.
 */
class ObservedEventsTest {
    /** Observations only when the test asks ({@code runOnce}), so every step is deterministic. */
    private static final String BY_HAND = "events: {drift_interval: 0s}\n";
    private static final List<String> STUCK_MEMBERS = List.of("platform-agent", "hermes", "codex", "openclaw");

    @TempDir
    Path dir;

    private static List<Event> events(TestServer s, String type) {
        return s.server.store().eventsAfter(0, 1000).stream().filter(e -> e.type().equals(type)).toList();
    }

    private static List<Event> observed(TestServer s) {
        return s.server.store().eventsAfter(0, 1000).stream()
                .filter(e -> e.type().startsWith("drift.") || e.type().startsWith("fleet.")
                        || e.type().equals(Event.IMAGE_GONE) || e.type().equals(Event.MIRROR_STALE)).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPinBecomingStuckBecauseTimePassedIsToldOnceAcrossRunsAndARestart(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        Instant stuckAt;
        try (TestServer s = new TestServer(db, BY_HAND)) {
            new SeedIncident(s).replay();
            ObservedEvents observer = s.server.observedEvents();
            assertThat(observer.runOnce()).as("the first run records the baseline silently").isEmpty();
            assertThat(observed(s)).isEmpty();
            long lastEvent = s.server.store().lastEventId();
            java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
            s.server.store().onChange(change -> commits.incrementAndGet());

            assertThat(observer.runOnce()).as("nothing changed: nothing written").isEmpty();
            assertThat(s.server.store().lastEventId()).isEqualTo(lastEvent);
            assertThat(commits).as("not even an empty write, which would wake every replica").hasValue(0);

            s.clock.advance(Duration.ofMinutes(26)); // the fix was registered 31m ago: past the 30m grace, no write
            stuckAt = s.clock.instant();
            List<Event> told = observer.runOnce();
            assertThat(told).extracting(Event::type).containsOnly(Event.DRIFT_CHANGED);
            assertThat(told).extracting(e -> e.environment() + "/" + e.template()).containsExactlyInAnyOrder(
                    STUCK_MEMBERS.stream().flatMap(t -> java.util.stream.Stream.of("staging/" + t, "prod/" + t)).toArray(String[]::new));
            Event agent = told.stream().filter(e -> e.environment().equals("prod") && e.template().equals("platform-agent"))
                    .findFirst().orElseThrow();
            assertThat(agent.at()).isEqualTo(stuckAt);
            assertThat(agent.actor()).isNull();
            assertThat(agent.group()).isEqualTo("runtime");
            assertThat(agent.data().get("from")).isEqualTo(Map.of("status", "split", "flags", List.of("in_flight")));
            assertThat(agent.data().get("to")).isEqualTo(Map.of("status", "stuck", "flags", List.of("split")));
            assertThat((String) agent.data().get("explanation")).contains("1 release behind");
            assertThat(s.server.store().eventsAfter(0, 1000)).as("stored as returned").containsAll(told);

            for (int i = 0; i < 3; i++) {
                assertThat(observer.runOnce()).isEmpty();
            }
            assertThat(events(s, Event.DRIFT_CHANGED)).hasSize(8);
        }
        try (TestServer again = new TestServer(db, BY_HAND)) {
            again.clock.freezeAt(stuckAt.plusSeconds(60));
            assertThat(again.server.observedEvents().runOnce()).as("a restart does not tell it again").isEmpty();
            assertThat(events(again, Event.DRIFT_CHANGED)).hasSize(8);

            // Promoting the fix is a change the observer tells too: stuck → current.
            new SeedIncident(again).promoteRelease("staging", SeedIncident.FIX);
            List<Event> caughtUp = again.server.observedEvents().runOnce();
            assertThat(caughtUp).extracting(Event::type).containsOnly(Event.DRIFT_CHANGED);
            assertThat(caughtUp).extracting(Event::environment).containsOnly("staging");
            assertThat(caughtUp).extracting(Event::template).containsExactlyInAnyOrderElementsOf(STUCK_MEMBERS);
            assertThat(caughtUp).allSatisfy(e -> assertThat(e.data().get("to"))
                    .isEqualTo(Map.of("status", "current", "flags", List.of())));
        }
    }

    /**
     * prod with two dated freeze windows, or none; observations only when the test asks. Dated and years ahead, so
     * a look the server makes at its start, on the wall clock before the test sets its own, never sees one open.
     */
    private static io.lockstep.config.LockstepConfig withWindows(DatabaseSettings db, boolean windows) {
        return TestConfig.config(db, BY_HAND, y -> windows ? y.replace("    upstream: staging\n",
                "    upstream: staging\n    freeze_windows:\n"
                        + "      - {name: year-end, start: \"2030-12-20T00:00:00Z\", end: \"2030-12-27T00:00:00Z\"}\n"
                        + "      - {name: maintenance, start: \"2030-12-28T00:00:00Z\", end: \"2030-12-28T02:00:00Z\"}\n") : y);
    }

    private static List<Event> freezes(List<Event> events) {
        return events.stream().filter(e -> e.type().startsWith("freeze.")).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPolicyFreezeWindowOpeningAndClosingIsToldOnceEachAcrossARestart(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        try (TestServer s = new TestServer(db, withWindows(db, true))) {
            s.clock.freezeAt(Instant.parse("2030-12-19T23:59:00Z"));
            ObservedEvents observer = s.server.observedEvents();
            assertThat(freezes(observer.runOnce())).as("opens at midnight, not yet").isEmpty();

            s.clock.advance(Duration.ofMinutes(2)); // only time passes
            List<Event> told = freezes(observer.runOnce());
            assertThat(told).extracting(Event::type).containsExactly(Event.FREEZE_STARTED);
            assertThat(told.get(0).environment()).isEqualTo("prod");
            assertThat(told.get(0).at()).isEqualTo(Instant.parse("2030-12-20T00:00:00Z"));
            assertThat(told.get(0).actor()).isNull();
            assertThat(told.get(0).data()).containsEntry("window", "year-end").containsEntry("until", "2030-12-27T00:00:00Z");
            assertThat(s.server.store().eventsAfter(0, 1000)).as("stored as returned").containsAll(told);
            assertThat(freezes(observer.runOnce())).isEmpty();
        }
        try (TestServer again = new TestServer(db, withWindows(db, true))) {
            again.clock.freezeAt(Instant.parse("2030-12-21T00:00:00Z"));
            assertThat(freezes(again.server.observedEvents().runOnce())).as("a restart does not tell it again").isEmpty();
            again.clock.freezeAt(Instant.parse("2030-12-27T00:00:30Z"));
            List<Event> lifted = freezes(again.server.observedEvents().runOnce());
            assertThat(lifted).extracting(Event::type).containsExactly(Event.FREEZE_LIFTED);
            assertThat(lifted.get(0).at()).as("when the window closed").isEqualTo(Instant.parse("2030-12-27T00:00:00Z"));
            assertThat(lifted.get(0).data()).containsEntry("window", "year-end").containsEntry("lift_reason", "the window closed");
            assertThat(freezes(again.server.observedEvents().runOnce())).isEmpty();

            again.clock.freezeAt(Instant.parse("2030-12-28T01:00:00Z"));
            assertThat(freezes(again.server.observedEvents().runOnce())).extracting(e -> e.data().get("window"))
                    .containsExactly("maintenance");
        }
        try (TestServer without = new TestServer(db, withWindows(db, false))) {
            without.clock.freezeAt(Instant.parse("2030-12-28T01:30:00Z"));
            List<Event> removed = freezes(without.server.observedEvents().runOnce());
            assertThat(removed).extracting(Event::type).containsExactly(Event.FREEZE_LIFTED);
            assertThat(removed.get(0).data()).containsEntry("window", "maintenance")
                    .containsEntry("lift_reason", "the window was removed from the policy");
            assertThat(events(without, Event.FREEZE_STARTED)).hasSize(2);
            assertThat(events(without, Event.FREEZE_LIFTED)).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theScheduleTellsAStuckPinWithoutAnyWriteAndOnlyOnce(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 100ms}\n")) {
            new SeedIncident(s).replay();
            ObservedEvents observer = s.server.observedEvents();
            long before = observer.runs();
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.runs() >= before + 2);
            // The server observed since its start, so the replay's own steps were told (missing → current …).
            int toldBefore = events(s, Event.DRIFT_CHANGED).size();
            assertThat(events(s, Event.DRIFT_CHANGED)).noneMatch(e -> "stuck".equals(status(e)));

            s.clock.advance(Duration.ofMinutes(26)); // no write: only time passes
            await().atMost(Duration.ofSeconds(20)).until(() -> events(s, Event.DRIFT_CHANGED).size() >= toldBefore + 8);
            long seen = observer.runs();
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.runs() >= seen + 3);
            assertThat(events(s, Event.DRIFT_CHANGED)).hasSize(toldBefore + 8);
            assertThat(events(s, Event.DRIFT_CHANGED)).filteredOn(e -> "stuck".equals(status(e))).hasSize(8);
        }
    }

    @SuppressWarnings("unchecked")
    private static String status(Event driftChanged) {
        return (String) ((Map<String, Object>) driftChanged.data().get("to")).get("status");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFleetCrossingTheThresholdIsConvergedThenRegressedOnceEachAndAPromoteIsNoRegression(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 0s, fleet_converged_at: 0.9}\n")) {
            SeedIncident seed = new SeedIncident(s).replay();
            String fix = SeedIncident.digest("claude-code", SeedIncident.FIX);
            String old = SeedIncident.digest("claude-code", SeedIncident.OLD);
            ObservedEvents observer = s.server.observedEvents();
            seed.send(seed.reports("prod", "workspace", "ws", 10, old));
            observer.runOnce(); // baseline: prod claude-code pinned to the fix, 0 of 10 on it
            assertThat(observed(s)).isEmpty();

            seed.send(seed.reports("prod", "workspace", "ws", 9, fix)); // ws-0..8 on the fix, ws-9 still old: 0.9
            List<Event> converged = observer.runOnce();
            assertThat(converged).extracting(Event::type).containsExactly(Event.FLEET_CONVERGED);
            Event c = converged.get(0);
            assertThat(List.of(c.environment(), c.template(), c.region())).containsExactly("prod", "claude-code", "global");
            assertThat(c.group()).isEqualTo("runtime");
            assertThat(c.data()).containsEntry("digest", fix).containsEntry("ratio", 0.9).containsEntry("threshold", 0.9)
                    .containsEntry("instances", 10).containsEntry("converged_instances", 9); // as stored: JSON numbers read back
            assertThat(observer.runOnce()).isEmpty();

            seed.send(SeedIncident.reportsAt("prod", "workspace", "ws", 2, old, s.clock.instant())); // 7 of 10
            assertThat(observer.runOnce()).extracting(Event::type).containsExactly(Event.FLEET_REGRESSED);
            assertThat(observer.runOnce()).isEmpty();

            seed.send(seed.reports("prod", "workspace", "ws", 10, fix));
            assertThat(observer.runOnce()).extracting(Event::type).containsExactly(Event.FLEET_CONVERGED);

            // A promote leaves the fleet behind: a rollout, not a regression.
            Http.Response moved = s.http.post("/api/v1/environments/prod/pins/claude-code/promote", TestConfig.CI,
                    "{\"image_digest\":\"" + TestConfig.digest("claude-code next") + "\",\"git_sha\":\"19f3175\"}");
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(observer.runOnce()).extracting(Event::type).doesNotContain(Event.FLEET_REGRESSED,
                    Event.FLEET_CONVERGED);
            assertThat(events(s, Event.FLEET_CONVERGED)).hasSize(2);
            assertThat(events(s, Event.FLEET_REGRESSED)).hasSize(1);
        }
    }

    @Test
    void twoReplicasOnOnePostgresTellATransitionOnce() throws Exception {
        DatabaseSettings db = StoreKind.POSTGRES.create(dir);
        try (TestServer a = new TestServer(db, BY_HAND)) {
            new SeedIncident(a).replay();
            a.server.observedEvents().runOnce();
            try (TestServer b = new TestServer(db, BY_HAND)) {
                b.clock.freezeAt(a.clock.instant());
                assertThat(b.server.observedEvents().runOnce()).as("b sees a's baseline").isEmpty();
                a.clock.advance(Duration.ofMinutes(26));
                b.clock.advance(Duration.ofMinutes(26));
                for (int round = 0; round < 3; round++) {
                    CompletableFuture<List<Event>> fromA = CompletableFuture.supplyAsync(a.server.observedEvents()::runOnce);
                    CompletableFuture<List<Event>> fromB = CompletableFuture.supplyAsync(b.server.observedEvents()::runOnce);
                    fromA.get();
                    fromB.get();
                }
                assertThat(events(a, Event.DRIFT_CHANGED)).hasSize(8);
                assertThat(events(a, Event.DRIFT_CHANGED)).extracting(e -> e.environment() + "/" + e.template())
                        .doesNotHaveDuplicates();
            }
        }
    }
}
