package io.lockstep.domain;

import java.util.Set;

/**
 * Which events a reader of the event stream or its pages gets: the filters it asked for ({@code types},
 * {@code environment}, {@code group}; empty or null: any) within what its token may see ({@code visible}:
 * the environments of an environment-limited token, null for a token allowed on every environment).
 *
 * <p>An event about one environment is visible only to tokens allowed on it. An event about no environment
 * (e.g. {@code release.registered}: a release belongs to a group, not to an environment) is visible to every
 * reader, as releases and templates themselves are to the read routes.
 */
public record EventFilter(Set<String> types, String environment, String group, Set<String> visible) {
    public EventFilter {
        types = types == null ? Set.of() : Set.copyOf(types);
        visible = visible == null ? null : Set.copyOf(visible);
    }

    public boolean matches(Event e) {
        if (e.environment() != null && visible != null && !visible.contains(e.environment())) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(e.type())) {
            return false;
        }
        if (environment != null && !environment.equals(e.environment())) {
            return false;
        }
        return group == null || group.equals(e.group());
    }
}
