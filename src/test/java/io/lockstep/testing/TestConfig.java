package io.lockstep.testing;

import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.store.DatabaseSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * The configuration integration tests run with: environments staging and prod, the five templates
 * of the seed's lock-step group {@code runtime}, and one token per scope. Secrets are known here so
 * tests can assert they never appear in any output.
 */
public final class TestConfig {
    public static final String ADMIN = "test-admin-secret-7c1d";
    public static final String CI = "test-ci-secret-91ab";
    public static final String READER = "test-reader-secret-22fe";
    public static final String PROD_ONLY = "test-prod-only-secret-5e0a";
    public static final String REPORTER = "test-reporter-secret-c3d9";
    /** One token of each scope limited to staging, for the environment rule. */
    public static final String STAGING_READER = "test-staging-reader-secret-40b2";
    public static final String STAGING_REPORTER = "test-staging-reporter-secret-8d17";
    public static final String STAGING_CI = "test-staging-ci-secret-e6a0";
    public static final String STAGING_ADMIN = "test-staging-admin-secret-19cf";
    /** The registry webhook's shared secret, for a server configured with {@code hooks.registry.secret_env: T_HOOK}. */
    public static final String HOOK = "test-hook-secret-a7f3-0c52";
    public static final String[] ALL_SECRETS = {ADMIN, CI, READER, PROD_ONLY, REPORTER, STAGING_READER,
            STAGING_REPORTER, STAGING_CI, STAGING_ADMIN, HOOK};
    public static final String[] GROUP = {"claude-code", "platform-agent", "hermes", "codex", "openclaw"};

    private TestConfig() {
    }

    public static String yaml(String extra) {
        return """
                server:
                  host: 127.0.0.1
                  port: 0
                  default_environment: prod
                environments:
                  - name: staging
                  - name: prod
                    upstream: staging
                templates:
                  - {name: claude-code, repository: registry.example.com/molecule/claude-code, kinds: [workspace], group: runtime}
                  - {name: platform-agent, repository: registry.example.com/molecule/platform-agent, kinds: [platform], group: runtime}
                  - {name: hermes, repository: registry.example.com/molecule/hermes, group: runtime}
                  - {name: codex, repository: registry.example.com/molecule/codex, group: runtime}
                  - {name: openclaw, repository: registry.example.com/molecule/openclaw, group: runtime}
                  - {name: solo, repository: registry.example.com/molecule/solo, kinds: [solo]}
                tokens:
                  - {name: admin, scopes: [admin], secret_env: T_ADMIN}
                  - {name: ci, scopes: [promote], secret_env: T_CI}
                  - {name: reader, scopes: [read], secret_env: T_READER}
                  - {name: prod-only, scopes: [promote], environments: [prod], secret_env: T_PROD_ONLY}
                  - {name: reporter, scopes: [report], secret_env: T_REPORTER}
                  - {name: staging-only-reader, scopes: [read], environments: [staging], secret_env: T_STAGING_READER}
                  - {name: staging-only-reporter, scopes: [report], environments: [staging], secret_env: T_STAGING_REPORTER}
                  - {name: staging-only-ci, scopes: [promote], environments: [staging], secret_env: T_STAGING_CI}
                  - {name: staging-only-admin, scopes: [admin], environments: [staging], secret_env: T_STAGING_ADMIN}
                """ + (extra == null ? "" : extra);
    }

    public static Map<String, String> env(DatabaseSettings db) {
        Map<String, String> env = new HashMap<>();
        env.put("T_ADMIN", ADMIN);
        env.put("T_CI", CI);
        env.put("T_READER", READER);
        env.put("T_PROD_ONLY", PROD_ONLY);
        env.put("T_REPORTER", REPORTER);
        env.put("T_STAGING_READER", STAGING_READER);
        env.put("T_STAGING_REPORTER", STAGING_REPORTER);
        env.put("T_STAGING_CI", STAGING_CI);
        env.put("T_STAGING_ADMIN", STAGING_ADMIN);
        env.put("T_HOOK", HOOK);
        env.put("LOCKSTEP_DATABASE_URL", db.url());
        if (db.user() != null) {
            env.put("LOCKSTEP_DATABASE_USER", db.user());
        }
        if (db.password() != null) {
            env.put("LOCKSTEP_DATABASE_PASSWORD", db.password());
        }
        return env;
    }

    public static LockstepConfig config(DatabaseSettings db, String extraYaml) {
        return config(db, extraYaml, java.util.function.UnaryOperator.identity());
    }

    /** The test configuration with {@code edit} applied to its YAML text (e.g. a policy on one environment). */
    public static LockstepConfig config(DatabaseSettings db, String extraYaml, java.util.function.UnaryOperator<String> edit) {
        try {
            var doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(edit.apply(yaml(extraYaml)));
            return ConfigLoader.parse(new ConfigNode(doc, ""), env(db));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String digest(String seed) {
        return "sha256:" + io.lockstep.domain.HistoryChain.sha256(seed);
    }
}
