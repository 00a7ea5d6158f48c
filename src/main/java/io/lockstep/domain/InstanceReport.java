package io.lockstep.domain;

import java.time.Instant;
import java.util.Comparator;

/** One running instance saying which digest it runs, already validated and resolved to a template. */
public record InstanceReport(String instanceId, String environment, String template, String region, String digest,
                             Instant observedAt) {

    /** What identifies a stored instance: its id within its environment. */
    public Key key() {
        return new Key(environment, instanceId);
    }

    public record Key(String environment, String instanceId) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::environment).thenComparing(Key::instanceId);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }
}
