package io.lockstep.service;

import io.lockstep.domain.UpstreamState;

/**
 * Port: what the remote upstream of an environment runs (drift compares against it; the promotion
 * policy gate can too). Implemented over HTTP in {@code service/upstream}.
 */
@FunctionalInterface
public interface UpstreamPins {
    /** No environment has a remote upstream. */
    UpstreamPins NONE = environment -> null;

    /**
     * The state of {@code environment}'s remote upstream, possibly from a short cache; null when its
     * upstream is local or it has none. Never throws: an unreachable remote is a state.
     */
    UpstreamState of(String environment);
}
