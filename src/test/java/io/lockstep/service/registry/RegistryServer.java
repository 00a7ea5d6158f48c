package io.lockstep.service.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.http.RegistryHookRoutes;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.server.AdjustableClock;
import io.lockstep.server.LockstepServer;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.LimitedTokens;
import io.lockstep.testing.TestConfig;

import java.io.IOException;
import java.util.Map;

/**
 * A real Lockstep server (the test config: staging, prod, group runtime) whose templates'
 * {@code registry.example.com} is the test's real registry, with per-environment registry settings
 * spliced into the environments list.
 */
public final class RegistryServer implements AutoCloseable {
    public static final String HOOK_SECRET = "hook-secret-3f9d2c71a0b8";

    public final LockstepServer server;
    /** A watch of group {@code runtime} on {@code vX.Y.Z} tags, newest semver first: the auto-promotion tests' watch. */
    public static final String SEMVER_WATCH = """
            watches:
              - group: runtime
                interval: 1h
                policy: semver
                allow_tags: '^v\\d+\\.\\d+\\.\\d+$'
                extract: '^v(.+)$'
            """;
    public final AdjustableClock clock = new AdjustableClock();
    public final Http http;

    /**
     * @param stagingSettings extra YAML lines for environment staging (e.g. {@code "auto_promote: true"})
     * @param prodSettings    extra YAML lines for environment prod
     * @param extraYaml       further top-level sections (watches, audit, hooks)
     */
    public RegistryServer(DatabaseSettings db, RegistryFixture registry, String stagingSettings, String prodSettings,
                          String extraYaml) {
        this(db, registry, stagingSettings, prodSettings, extraYaml, "");
    }

    /** @param extraTokens further entries of the token list (lines {@code "  - {name: …}\n"}), e.g. an approver */
    public RegistryServer(DatabaseSettings db, RegistryFixture registry, String stagingSettings, String prodSettings,
                          String extraYaml, String extraTokens) {
        // LimitedTokens first: its entries extend the test config's token list, which ends the file.
        String yaml = TestConfig.yaml(LimitedTokens.YAML + extraTokens + """
                registries:
                  registry.example.com:
                    url: %s
                    connect_timeout: 1s
                    request_timeout: 5s
                    retry: {max_attempts: 2, initial_backoff: 10ms, max_backoff: 20ms, max_retry_after: 1s}
                    rate_limit: {requests_per_second: 0}
                """.formatted(registry.url()) + (extraYaml == null ? "" : extraYaml))
                .replace("  - name: staging\n", "  - name: staging\n" + indent(stagingSettings))
                .replace("  - name: prod\n", "  - name: prod\n" + indent(prodSettings));
        Map<String, String> env = TestConfig.env(db);
        env.put("HOOK_SECRET", HOOK_SECRET);
        try {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            LockstepConfig config = ConfigLoader.parse(new ConfigNode(doc, ""), env);
            this.server = LockstepServer.start(config, clock);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.http = new Http(server.baseUrl());
    }

    private static String indent(String lines) {
        if (lines == null || lines.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines.split("\n")) {
            out.append("    ").append(l).append('\n');
        }
        return out.toString();
    }

    public RegistryServices registry() {
        return server.registry();
    }

    public RegistryHookRoutes hooks() {
        return server.registryHooks();
    }

    public JsonNode get(String path) {
        Http.Response r = http.get(path, TestConfig.ADMIN);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " → " + r.status() + " " + r.body());
        }
        return r.json();
    }

    public JsonNode drift(String environment, String template) {
        for (JsonNode f : get("/api/v1/drift?environment=" + environment).path("findings")) {
            if (f.path("template").asText().equals(template)) {
                return f;
            }
        }
        throw new AssertionError("no drift finding for " + environment + "/" + template);
    }

    public JsonNode pin(String environment, String template) {
        Http.Response r = http.get("/api/v1/environments/" + environment + "/pins/" + template, TestConfig.ADMIN);
        return r.status() == 200 ? r.json() : null;
    }

    @Override
    public void close() {
        server.close();
    }
}
