package io.lockstep.service.registry;

import io.lockstep.domain.Release;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The build one discovery run found for a watch: what auto-promotion may move pins to. Fields rather
 * than record accessors so the promote calls read as they did inside the watcher.
 */
final class Candidate {
    final String version;
    final String gitSha;
    /** template → digest, every member under one tag */
    final Map<String, String> images;
    /** the group's release for these images (registered now or earlier); null for a solo template */
    final Release release;
    /** true if this run registered the release */
    final boolean created;

    Candidate(String version, String gitSha, Map<String, String> images, Release release, boolean created) {
        this.version = version;
        this.gitSha = gitSha;
        this.images = Collections.unmodifiableMap(new TreeMap<>(images));
        this.release = release;
        this.created = created;
    }

    /** What "this candidate" means in a refusal memory: the release, or the digests. */
    String id() {
        return release != null ? release.id() : images.toString();
    }
}
