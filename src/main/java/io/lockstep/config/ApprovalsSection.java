package io.lockstep.config;

import io.lockstep.auth.Scope;
import io.lockstep.domain.ApprovalPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An environment's {@code approvals: {count, from_scopes, distinct_from_promoter, expire_after}}
 * (defaults 1, [approve], true, 24h); absent or null means the environment needs none. Each mistake is
 * one {@link ConfigException} naming the key, e.g. {@code environments[1].approvals.count}.
 */
final class ApprovalsSection {
    private ApprovalsSection() {
    }

    static ApprovalPolicy parse(ConfigNode c) {
        if (!c.isPresent() || c.raw().isNull()) {
            return null;
        }
        c.requireObject();
        c.allowOnly("count", "from_scopes", "distinct_from_promoter", "expire_after");
        int count = c.integer("count", 1, 1, 10);
        List<String> scopes = new ArrayList<>();
        if (c.get("from_scopes").isPresent()) {
            for (String s : c.strings("from_scopes")) {
                try {
                    scopes.add(Scope.parse(s.strip()).wire());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(c.path() + ".from_scopes", e.getMessage());
                }
            }
            if (scopes.isEmpty()) {
                throw new ConfigException(c.path() + ".from_scopes", "needs at least one scope (the default is [approve])");
            }
        }
        Duration expiry = c.duration("expire_after", ApprovalPolicy.DEFAULT_EXPIRY);
        if (expiry.isZero()) {
            throw new ConfigException(c.path() + ".expire_after", "must be longer than 0 (e.g. 24h)");
        }
        return new ApprovalPolicy(count, scopes, c.bool("distinct_from_promoter", true), expiry);
    }
}
