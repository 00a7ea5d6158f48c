package io.lockstep.fleet;

import java.time.Instant;

/** One running instance saying which digest it runs, already validated and resolved to a template. */
public record InstanceReport(String instanceId, String environment, String template, String region, String digest,
                             Instant observedAt) {
}
