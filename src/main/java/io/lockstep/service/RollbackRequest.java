package io.lockstep.service;

import io.lockstep.domain.Environment;

/**
 * A request to move a pin back: to the digest it had before its current one, or to {@code toDigest}
 * (null for "the previous one"), which must appear in the pin's history.
 */
public record RollbackRequest(Environment environment, String template, String region, String toDigest,
                              String notes) {
}
