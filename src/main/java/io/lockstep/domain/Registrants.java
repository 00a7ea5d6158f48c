package io.lockstep.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who vouched for a release's digests, and for which environments. Releases are global, but the
 * token that registers one may be limited to some environments: its digests are vouched for only
 * where that token may write, so a staging-only token cannot decide what prod pins. Registering the
 * same content again with a token of wider reach widens the set.
 *
 * @param tokens       names of the tokens whose registrations make up {@code environments}, first registrant first
 * @param environments where the release may be promoted; null means every environment
 */
public record Registrants(List<String> tokens, Set<String> environments) {
    public Registrants {
        tokens = List.copyOf(tokens);
        environments = environments == null ? null : Collections.unmodifiableSet(new TreeSet<>(environments));
    }

    /** One registrant, limited to {@code reach} (null: every environment). */
    public static Registrants of(String token, Collection<String> reach) {
        return new Registrants(List.of(token), reach == null ? null : new TreeSet<>(reach));
    }

    public boolean everyEnvironment() {
        return environments == null;
    }

    public boolean vouchFor(String environment) {
        return environments == null || environments.contains(environment);
    }

    /**
     * After {@code other} registered the same content again: the union of both reaches, and of both
     * token lists when the reach grew. Returns this instance when {@code other} adds no environment,
     * so callers can skip the write.
     */
    public Registrants widenedBy(Registrants other) {
        if (environments == null || (other.environments != null && environments.containsAll(other.environments))) {
            return this;
        }
        List<String> names = new ArrayList<>(tokens);
        other.tokens.stream().filter(t -> !names.contains(t)).forEach(names::add);
        if (other.environments == null) {
            return new Registrants(names, null);
        }
        Set<String> union = new TreeSet<>(environments);
        union.addAll(other.environments);
        return new Registrants(names, union);
    }
}
