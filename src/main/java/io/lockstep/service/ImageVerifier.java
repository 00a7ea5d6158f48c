package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Template;

import java.util.Map;

/**
 * Checks that images exist before they are pinned, so a pin never points at an image the registry
 * does not have. Called before the write transaction
 * so a slow registry never holds the store's write lock.
 */
public interface ImageVerifier {
    /** Throws a {@code LockstepException} (422 IMAGE_NOT_FOUND, 503 REGISTRY_UNAVAILABLE) to refuse. */
    void verify(Environment environment, Map<Template, String> digests);

    ImageVerifier NONE = (environment, digests) -> { };
}
