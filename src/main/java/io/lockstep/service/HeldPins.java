package io.lockstep.service;

import io.lockstep.domain.PinKey;

import java.util.Optional;

/**
 * The pins automatic promotion must leave alone because a person set them by hand, with the reason.
 * {@link PinService} asks it inside the promote's transaction and hands the answer to the
 * {@code PromotionGate} as a fact.
 */
@FunctionalInterface
public interface HeldPins {
    Optional<String> reason(PinKey key);

    HeldPins NONE = key -> Optional.empty();
}
