package io.lockstep.store;

import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write that wrote nothing (a CI re-promoting the digest already pinned, which pipelines do all the time) tells
 * no listener: they took "no pin written" for "something else written", and the observed events looked at every
 * pin after each such promote.
 */
class NothingWrittenTest {
    @TempDir
    Path dir;

    private static Http.Response promote(TestServer s, String digest) {
        return s.http.post("/api/v1/environments/prod/pins/claude-code/promote", TestConfig.CI,
                "{\"image_digest\":\"" + digest + "\"}");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPromoteOfTheDigestAlreadyPinnedChangesNothingAndTellsNoListener(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events: {drift_interval: 0s}\n")) {
            List<Change> told = new CopyOnWriteArrayList<>();
            s.server.store().onChange(told::add);
            String a = TestConfig.digest("claude-code a");
            Http.Response first = promote(s, a);
            assertThat(first.status()).as(first.body()).isBetween(200, 201);
            assertThat(told).hasSize(1);
            long events = s.server.store().lastEventId();

            Http.Response again = promote(s, a);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().path("result").asText()).isEqualTo("unchanged");
            assertThat(told).as("nothing was written").hasSize(1);
            assertThat(s.server.store().lastEventId()).isEqualTo(events);

            assertThat(promote(s, TestConfig.digest("claude-code b")).status()).isEqualTo(200);
            assertThat(told).hasSize(2);
            assertThat(told.get(1).pins()).singleElement().satisfies(k -> assertThat(k.template()).isEqualTo("claude-code"));
        }
    }
}
