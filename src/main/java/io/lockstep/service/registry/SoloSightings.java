package io.lockstep.service.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Solo templates (no group) have no releases, so discovery remembers when it first saw each digest
 * of a watch; auto-promotion asks it what the newest build was when a person promoted by hand.
 */
public final class SoloSightings {
    private final Map<String, Map<String, Instant>> seen = new ConcurrentHashMap<>();

    boolean seen(String watch, String digest) {
        return seen.getOrDefault(watch, Map.of()).containsKey(digest);
    }

    void record(String watch, String digest, Instant at) {
        seen.computeIfAbsent(watch, k -> new ConcurrentHashMap<>()).putIfAbsent(digest, at);
    }

    /** The digest of {@code watch} discovered last no later than {@code at}. */
    Optional<String> newestAt(String watch, Instant at) {
        return seen.getOrDefault(watch, Map.of()).entrySet().stream()
                .filter(e -> !e.getValue().isAfter(at))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }
}
