package io.lockstep.oci;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code config.Labels} of an image. The two OCI annotations below are what lets a tag resolve
 * to a release's git_sha and runtime_version without the caller repeating them.
 */
public record ImageLabels(Map<String, String> labels) {

    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String VERSION = "org.opencontainers.image.version";

    public ImageLabels {
        labels = Map.copyOf(labels);
    }

    public Optional<String> revision() {
        return get(REVISION);
    }

    public Optional<String> version() {
        return get(VERSION);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(labels.get(key)).filter(v -> !v.isBlank());
    }
}
