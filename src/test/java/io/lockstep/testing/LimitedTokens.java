package io.lockstep.testing;

import io.lockstep.domain.HistoryChain;

/**
 * Extra tokens for tests of environment limits on global resources (templates, releases), added to
 * {@link TestConfig}'s list through {@code new PerStoreServers(LimitedTokens.YAML)}: the test
 * configuration ends with its token list, so these entries extend it. Given as SHA-256 hashes, so no
 * environment variable is needed; tests assert the secrets never appear in a response.
 */
public final class LimitedTokens {
    /** admin, limited to staging. */
    public static final String STAGING_ADMIN = "test-staging-admin-secret-4b8e";
    /** promote, limited to staging: a staging CI pipeline. */
    public static final String STAGING_CI = "test-staging-ci-secret-a17f";
    /** admin, limited to an explicit list that names every hosted environment (staging and prod). */
    public static final String LISTED_ADMIN = "test-listed-admin-secret-0d62";
    public static final String[] SECRETS = {STAGING_ADMIN, STAGING_CI, LISTED_ADMIN};

    public static final String YAML = entry("staging-admin", "admin", "[staging]", STAGING_ADMIN)
            + entry("staging-ci", "promote", "[staging]", STAGING_CI)
            + entry("listed-admin", "admin", "[staging, prod]", LISTED_ADMIN);

    private LimitedTokens() {
    }

    private static String entry(String name, String scope, String environments, String secret) {
        return "  - {name: " + name + ", scopes: [" + scope + "], environments: " + environments
                + ", secret_sha256: " + HistoryChain.sha256(secret) + "}\n";
    }
}
