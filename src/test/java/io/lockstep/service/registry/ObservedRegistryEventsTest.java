package io.lockstep.service.registry;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.oci.SharedRegistry;
import io.lockstep.oci.TestImages;
import io.lockstep.service.events.ObservedEvents;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * image.gone and mirror.stale on a real Lockstep server and the real CNCF registry, both stores: told
 * once per transition (not on every audit), and a restart whose audit has not run yet does not tell the
 * image came back.
 */
class ObservedRegistryEventsTest {
    @RegisterExtension
    static final SharedRegistry shared = new SharedRegistry();
    private static final String BY_HAND = "events: {drift_interval: 0s}\n";

    @TempDir
    Path dir;

    private static String push(String template, String tag) {
        return TestImages.pushImage(shared.client(), "molecule/" + template, tag, Map.of()).digest();
    }

    private static void promote(RegistryServer s, String env, String template, String digest, int status) {
        assertThat(s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.CI,
                "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\"}").status()).isEqualTo(status);
    }

    private static List<Event> events(RegistryServer s, String type) {
        return s.server.store().eventsAfter(0, 1000).stream().filter(e -> e.type().equals(type)).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedPinnedImageIsToldOnceAndARestartBeforeItsAuditDoesNotTellItCameBack(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        String doomed = push("hermes", "observed-doomed-" + kind);
        try (RegistryServer s = new RegistryServer(db, shared.fixture(), null, null, BY_HAND)) {
            promote(s, "prod", "hermes", doomed, 201);
            ObservedEvents observer = s.server.observedEvents();
            s.registry().audit().runOnce();
            observer.runOnce(); // baseline
            assertThat(events(s, Event.IMAGE_GONE)).isEmpty();

            shared.client().deleteManifest("molecule/hermes", doomed);
            s.registry().audit().runOnce();
            List<Event> told = observer.runOnce();
            assertThat(told).extracting(Event::type).containsExactly(Event.DRIFT_CHANGED, Event.IMAGE_GONE);
            Event gone = told.get(1);
            assertThat(List.of(gone.environment(), gone.template(), gone.region())).containsExactly("prod", "hermes", "global");
            assertThat(gone.data()).containsEntry("digest", doomed);
            assertThat((String) gone.data().get("explanation")).contains("no longer has");
            assertThat(told.get(0).data().get("to")).isEqualTo(Map.of("status", "image_gone", "flags", List.of("unknown"))); // a hand promote: no release holds it

            for (int i = 0; i < 2; i++) {
                s.registry().audit().runOnce(); // every audit run finds it gone again
                assertThat(observer.runOnce()).isEmpty();
            }
        }
        try (RegistryServer again = new RegistryServer(db, shared.fixture(), null, null, BY_HAND)) {
            ObservedEvents observer = again.server.observedEvents();
            assertThat(observer.runOnce()).as("no audit yet: the image state last told stands").isEmpty();
            again.registry().audit().runOnce();
            assertThat(observer.runOnce()).as("the audit confirms it: still nothing new").isEmpty();
            assertThat(events(again, Event.IMAGE_GONE)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailedMirrorIsToldStaleOnce(StoreKind kind) {
        String first = push("openclaw", "observed-mirror-1-" + kind);
        String second = push("openclaw", "observed-mirror-2-" + kind);
        try (RegistryServer s = new RegistryServer(kind.create(dir), shared.fixture(), null, "mirror_tag: prod", BY_HAND)) {
            promote(s, "prod", "openclaw", first, 201);
            PinKey key = new PinKey("prod", "openclaw", "global");
            await().atMost(Duration.ofSeconds(10)).until(() -> s.registry().mirror().mirrorStale().isEmpty());
            s.registry().audit().runOnce();
            ObservedEvents observer = s.server.observedEvents();
            observer.runOnce(); // baseline
            shared.fixture().stop();
            try {
                promote(s, "prod", "openclaw", second, 200);
                await().atMost(Duration.ofSeconds(20)).until(() -> s.registry().mirror().mirrorStale().contains(key));
                List<Event> told = observer.runOnce();
                assertThat(told).extracting(Event::type).contains(Event.MIRROR_STALE);
                assertThat(events(s, Event.MIRROR_STALE)).hasSize(1);
                assertThat(events(s, Event.MIRROR_STALE).get(0).data()).containsEntry("digest", second);
                assertThat(observer.runOnce()).isEmpty();
                assertThat(events(s, Event.MIRROR_STALE)).hasSize(1);
            } finally {
                shared.fixture().restart();
            }
        }
    }
}
