package io.lockstep.server;

import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop of the line is durable: the server process is stopped and a new one started on the same data (both
 * stores); the new process refuses the same promote with the same stop, and an override entry written before
 * the restart still verifies in the history chain.
 */
class LineStopRestartIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStopAndAnOverrideSurviveARestartOfTheProcess(StoreKind store) {
        ServerProcess.Spec spec = ServerProcess.spec(dir).database(store.create(dir));
        String id;
        String before;
        try (ServerProcess first = spec.start()) {
            Http http = first.http();
            assertThat(http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                    Json.obj("image_digest", Unique.digest())).status()).isEqualTo(201);
            Http.Response stop = http.post("/api/v1/environments/prod/freezes", TestConfig.CI,
                    Json.obj("reason", "incident 4711", "for", "4h"));
            assertThat(stop.status()).as(stop.body()).isEqualTo(201);
            id = stop.json().path("id").asText();
            Http.Response override = http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.ADMIN,
                    Json.obj("image_digest", Unique.digest(), "override", Map.of("reason", "hotfix")));
            assertThat(override.status()).as(override.body()).isEqualTo(200);
            before = http.get("/api/v1/environments/prod/pins/hermes", TestConfig.READER).json().path("image_digest").asText();
            first.stop(); // SIGTERM, as an orchestrator stops it
        }
        try (ServerProcess second = spec.start()) {
            Http http = second.http();
            Http.Response refused = http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                    Json.obj("image_digest", Unique.digest()));
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("LINE_STOPPED");
            assertThat(refused.json().path("freeze_id").asText()).isEqualTo(id);
            assertThat(refused.json().path("retry_after_seconds").asLong()).isPositive();
            assertThat(http.get("/api/v1/environments/prod/pins/hermes", TestConfig.READER).json().path("image_digest")
                    .asText()).isEqualTo(before);
            Http.Response verify = http.get("/api/v1/history/verify", TestConfig.READER);
            assertThat(verify.json().path("valid").asBoolean()).as(verify.body()).isTrue();
            assertThat(http.get("/api/v1/environments/prod/pins/hermes/history", TestConfig.READER).json()
                    .path("entries").get(0).path("override").path("reason").asText()).isEqualTo("hotfix");

            assertThat(http.delete("/api/v1/environments/prod/freezes/" + id, TestConfig.CI).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                    Json.obj("image_digest", Unique.digest())).status()).isEqualTo(200);
        }
    }
}
