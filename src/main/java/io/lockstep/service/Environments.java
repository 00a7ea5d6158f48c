package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environments this server hosts, in promotion order, and the default one for requests naming none. */
public final class Environments {
    /** As the configuration file defines them. */
    private final Map<String, Environment> configured = new LinkedHashMap<>();
    /** As they are now: the file's, with each policy set through the admin API in place ({@link PolicyService}). */
    private volatile Map<String, Environment> byName;
    private final String defaultEnvironment;

    public Environments(List<Environment> environments, String defaultEnvironment) {
        environments.forEach(e -> configured.put(e.name(), e));
        this.byName = new LinkedHashMap<>(configured);
        this.defaultEnvironment = defaultEnvironment;
    }

    /** The environment as the configuration file defines it (its policy before any admin API change), or null. */
    public Environment configured(String name) {
        return configured.get(name);
    }

    /**
     * Puts {@code policies} in force (environment name → policy); every other environment has the file's.
     * Requests already under way keep the environment they resolved.
     */
    public void applyPolicies(Map<String, io.lockstep.domain.PromotionPolicy> policies) {
        Map<String, Environment> next = new LinkedHashMap<>();
        configured.forEach((name, e) -> next.put(name, policies.containsKey(name) ? e.withPolicy(policies.get(name)) : e));
        byName = next;
    }

    public List<Environment> all() {
        return List.copyOf(byName.values());
    }

    public String defaultName() {
        return defaultEnvironment;
    }

    /** The named (or default) environment if this server hosts it, else null; no validation. */
    public Environment find(String name) {
        return byName.get(name == null || name.isEmpty() ? defaultEnvironment : name);
    }

    /**
     * The named environment, or the default when {@code name} is null or empty. A malformed name is
     * a 400 ({@code INVALID_NAME}) wherever it came from (path, query or body); a well-formed name
     * this server does not host is a 404.
     */
    public Environment require(String name) {
        String n = name == null || name.isEmpty() ? defaultEnvironment : name;
        Environment e = byName.get(n);
        if (e == null) {
            io.lockstep.domain.Names.require("environment", n);
            throw new LockstepException(Problem.UNKNOWN_ENVIRONMENT, "This server hosts no environment "
                    + io.lockstep.domain.Names.quoteForError(n) + "; it hosts " + String.join(", ", byName.keySet()) + ".");
        }
        return e;
    }
}
