package io.lockstep.service;

import io.lockstep.domain.Environment;

import java.util.List;

/** Told after a promotion committed: metrics, tag mirroring and the like hang off this. */
public interface PromotionObserver {
    void promoted(Environment environment, List<PromoteOutcome> outcomes);
}
