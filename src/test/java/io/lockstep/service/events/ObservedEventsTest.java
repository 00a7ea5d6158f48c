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
