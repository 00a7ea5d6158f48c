package io.lockstep.service;

import io.lockstep.domain.ImageStatus;
import io.lockstep.domain.Pin;

/**
 * What is known about pinned images (from the pinned-image audit), for resolve. Resolve is the hot
 * path: it caches its answers with the status baked in and asks {@link #version()} (one volatile
 * read) whether any status changed, never the registry.
 */
public interface ImageStatuses {
    /** The status of {@code pin}'s current digest; {@code unknown} if it was not checked since the pin moved. */
    ImageStatus of(Pin pin);

    /** Changes whenever any status does. */
    long version();

    ImageStatuses UNKNOWN = new ImageStatuses() {
        @Override
        public ImageStatus of(Pin pin) {
            return ImageStatus.UNKNOWN;
        }

        @Override
        public long version() {
            return 0;
        }
    };
}
