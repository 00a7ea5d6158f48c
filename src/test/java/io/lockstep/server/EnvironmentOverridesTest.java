package io.lockstep.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** LOCKSTEP_ADMIN_TOKEN and LOCKSTEP_PORT, end to end through a running server. */
class EnvironmentOverridesTest {
    @TempDir
    Path dir;

    @Test
    void bootstrapAdminWorksAndThePortComesFromTheEnvironment() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(TestConfig.env(TestDatabases.sqlite(dir)));
        env.put("LOCKSTEP_ADMIN_TOKEN", "boot-secret-4f1a");
        env.put("LOCKSTEP_PORT", Integer.toString(port));
        LockstepConfig config = ConfigLoader.parse(new ConfigNode(new ObjectMapper(new YAMLFactory())
                .readTree(TestConfig.yaml(null)), ""), env);

        try (LockstepServer server = LockstepServer.start(config, new AdjustableClock())) {
            assertThat(server.port()).isEqualTo(port);
            Http http = new Http(server.baseUrl());
            Http.Response created = http.post("/api/v1/templates", "boot-secret-4f1a",
                    Json.obj("name", "booted", "repository", "ghcr.io/acme/booted"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(http.post("/cp/admin/runtime-image/promote", "boot-secret-4f1a",
                    Http.promoteBody("booted", TestConfig.digest("b"))).status()).isEqualTo(201);
            Http.Response history = http.get("/api/v1/environments/prod/pins/booted/history", TestConfig.READER);
            assertThat(history.json().path("entries").get(0).path("promoted_by").asText()).isEqualTo("bootstrap-admin");
            assertThat(history.body()).doesNotContain("boot-secret-4f1a");
        }
    }
}
