package io.lockstep.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a remote upstream environment runs, as last read from its server: its pins and the releases
 * that server knows (needed to order the upstream's pins against ours), or why it could not be read.
 * Used by drift and meant for the promotion-policy gate too, hence here and not in {@code domain/drift}.
 *
 * @param unreachableReason null when read; else the HTTP status or the transport failure (never the token)
 */
public record UpstreamState(RemoteUpstream upstream, List<Pin> pins, List<Release> releases, Instant readAt,
                            String unreachableReason) {
    public UpstreamState {
        Objects.requireNonNull(upstream, "upstream");
        pins = pins == null ? List.of() : List.copyOf(pins);
        releases = releases == null ? List.of() : List.copyOf(releases);
    }

    public static UpstreamState read(RemoteUpstream upstream, List<Pin> pins, List<Release> releases, Instant at) {
        return new UpstreamState(upstream, pins, releases, at, null);
    }

    public static UpstreamState unreachable(RemoteUpstream upstream, String reason, Instant at) {
        return new UpstreamState(upstream, List.of(), List.of(), at, Objects.requireNonNull(reason, "reason"));
    }

    public boolean reachable() {
        return unreachableReason == null;
    }
}
