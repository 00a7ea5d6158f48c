package io.lockstep.testing;

import io.lockstep.domain.HistoryChain;

/**
 * Tokens for tests of environment limits on global resources (templates, releases); the extra one is added to
 * {@link TestConfig}'s list through {@code new PerStoreServers(LimitedTokens.YAML)}: the test
 * configuration ends with its token list, so these entries extend it. Given as SHA-256 hashes, so no
 * environment variable is needed; tests assert the secrets never appear in a response.
 */
public final class LimitedTokens {
    /** admin, limited to staging ({@link TestConfig}'s). */
    public static final String STAGING_ADMIN = TestConfig.STAGING_ADMIN;
    /** promote, limited to staging: a staging CI pipeline ({@link TestConfig}'s). */
    public static final String STAGING_CI = TestConfig.STAGING_CI;
    /** admin, limited to an explicit list that names every hosted environment (staging and prod). */
    public static final String LISTED_ADMIN = "test-listed-admin-secret-0d62";
    public static final String[] SECRETS = {STAGING_ADMIN, STAGING_CI, LISTED_ADMIN};

    /** Only the token {@link TestConfig} lacks; the staging-limited ones are already in its list. */
    public static final String YAML = entry("listed-admin", "admin", "[staging, prod]", LISTED_ADMIN);

    private LimitedTokens() {
    }

    private static String entry(String name, String scope, String environments, String secret) {
        return "  - {name: " + name + ", scopes: [" + scope + "], environments: " + environments
                + ", secret_sha256: " + HistoryChain.sha256(secret) + "}\n";
    }
}
