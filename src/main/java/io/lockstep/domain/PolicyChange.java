package io.lockstep.domain;

import java.time.Instant;

/**
 * One change of an environment's promotion policy through the admin API, kept for good: who made it,
 * why, when, and the policy document it set ({@code null}: the environment went back to the policy
 * of the configuration file).
 */
public record PolicyChange(long seq, String environment, String document, String changedBy, String reason,
                           Instant changedAt) {
    /** True when this change returned the environment to the configuration file's policy. */
    public boolean resetsToConfig() {
        return document == null;
    }
}
