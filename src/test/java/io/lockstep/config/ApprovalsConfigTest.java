package io.lockstep.config;

import io.lockstep.auth.Scope;
import io.lockstep.domain.ApprovalPolicy;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code approvals} of an environment: defaults, every key read, every mistake one line naming its key; the approve scope. */
class ApprovalsConfigTest {
    private static final DatabaseSettings DB = new DatabaseSettings("jdbc:sqlite:unused.db", null, null, 1);
    private static final String PROD = "  - name: prod\n    upstream: staging\n";

    private static LockstepConfig withProd(String approvals) {
        return TestConfig.config(DB, null, y -> y.replace(PROD, PROD + "    approvals: " + approvals + "\n"));
    }

    private static ApprovalPolicy prod(String approvals) {
        return withProd(approvals).environments().stream().filter(e -> e.name().equals("prod")).findFirst().orElseThrow()
                .approvals();
    }

    @Test
    void defaultsAndEveryKeyAreRead() {
        assertThat(prod("{}")).isEqualTo(new ApprovalPolicy(1, List.of("approve"), true, Duration.ofHours(24)));
        assertThat(prod("{count: 2, from_scopes: [approve, admin], distinct_from_promoter: false, expire_after: 2h}"))
                .isEqualTo(new ApprovalPolicy(2, List.of("approve", "admin"), false, Duration.ofHours(2)));
        assertThat(TestConfig.config(DB, null).environments().get(1).approvals()).as("absent: none").isNull();
    }

    @Test
    void everyMistakeIsOneConfigErrorNamingTheKey() {
        String at = "environments[1].approvals.";
        assertBad("{count: 0}", at + "count", "between 1 and");
        assertBad("{count: two}", at + "count", "whole number");
        assertBad("{from_scopes: [aprove]}", at + "from_scopes", "unknown scope 'aprove'");
        assertBad("{from_scopes: []}", at + "from_scopes", "at least one scope");
        assertBad("{expire_after: 0s}", at + "expire_after", "longer than 0");
        assertBad("{expire_after: soon}", at + "expire_after", "");
        assertBad("{distinct_from_promoter: maybe}", at + "distinct_from_promoter", "true or false");
        assertBad("{count: 1, approvers: [alice]}", at + "approvers", "unknown key");
        assertBad("[approve]", "environments[1].approvals", "");
    }

    @Test
    void approveIsAScopeOfItsOwnThatAdminGrants() {
        assertThat(Scope.parse("approve")).isEqualTo(Scope.APPROVE);
        assertThat(Scope.ADMIN.grants(Scope.APPROVE)).isTrue();
        assertThat(Scope.PROMOTE.grants(Scope.APPROVE)).isFalse();
        assertThat(Scope.READ.grants(Scope.APPROVE)).isFalse();
        assertThat(Scope.REPORT.grants(Scope.APPROVE)).isFalse();
        assertThat(Scope.APPROVE.grants(Scope.READ)).as("an approver sees what it approves").isTrue();
        assertThat(Scope.APPROVE.grants(Scope.PROMOTE)).as("an approver cannot promote").isFalse();
        assertThatThrownBy(() -> Scope.parse("approver")).hasMessageContaining("approve");
    }

    private static void assertBad(String approvals, String key, String problem) {
        assertThatThrownBy(() -> withProd(approvals)).as(approvals).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config error: " + key).hasMessageContaining(problem);
    }
}
