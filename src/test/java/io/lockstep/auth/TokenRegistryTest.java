package io.lockstep.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRegistryTest {
    private final TokenRegistry registry = new TokenRegistry(List.of(
            new ApiToken("ci", Set.of(Scope.PROMOTE), Set.of("prod"), TokenRegistry.sha256("s3cret-ci")),
            new ApiToken("ops", Set.of(Scope.ADMIN), null, TokenRegistry.sha256("s3cret-ops"))));

    @Test
    void findsTheTokenWhoseSecretMatches() {
        assertThat(registry.authenticate("s3cret-ci")).map(ApiToken::name).contains("ci");
        assertThat(registry.authenticate("s3cret-ops")).map(ApiToken::name).contains("ops");
    }

    @Test
    void rejectsUnknownEmptyAndPrefixSecrets() {
        assertThat(registry.authenticate("s3cret")).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
    }

    @Test
    void scopesImplyTheWeakerOnes() {
        assertThat(Scope.ADMIN.grants(Scope.PROMOTE)).isTrue();
        assertThat(Scope.PROMOTE.grants(Scope.READ)).isTrue();
        assertThat(Scope.READ.grants(Scope.PROMOTE)).isFalse();
        assertThat(Scope.PROMOTE.grants(Scope.REPORT)).isFalse();
        assertThat(Scope.REPORT.grants(Scope.READ)).isFalse();
    }

    @Test
    void environmentRestrictionIsHonoured() {
        ApiToken ci = registry.authenticate("s3cret-ci").orElseThrow();
        assertThat(ci.allowsEnvironment("prod")).isTrue();
        assertThat(ci.allowsEnvironment("staging")).isFalse();
        assertThat(ci.toString()).doesNotContain("s3cret");
    }
}
