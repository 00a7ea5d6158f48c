package io.lockstep.service.registry;

import java.util.List;
import java.util.Map;

/**
 * What one discovery run of a watch did, for logs, tests and {@code GET /api/v1/watches}.
 *
 * @param tag        the tag every member carries that the policy selected, or null
 * @param releaseId  the release for that tag (created now or earlier), or null
 * @param created    true if this run registered the release
 * @param promoted   environments auto-promoted by this run
 * @param skipped    environment or reason → why nothing was promoted or registered
 */
public record Discovery(String watch, String tag, String version, String releaseId, boolean created,
                        List<String> promoted, Map<String, String> skipped) {
    public Discovery {
        promoted = List.copyOf(promoted);
        skipped = Map.copyOf(skipped);
    }
}
