package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.PromotionPolicy;

/**
 * Reads a promotion policy document (JSON, the keys of an environment's entry in the configuration
 * file) for an environment. Implemented by the configuration reader, so a policy set through the API
 * obeys exactly the rules of one written in the file; a mistake is an {@link IllegalArgumentException}
 * whose message names the key.
 */
@FunctionalInterface
public interface PolicyParser {
    PromotionPolicy parse(String document, Environment environment);
}
