package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environments this server hosts, in promotion order, and the default one for requests naming none. */
public final class Environments {
    private final Map<String, Environment> byName = new LinkedHashMap<>();
    private final String defaultEnvironment;

    public Environments(List<Environment> environments, String defaultEnvironment) {
        environments.forEach(e -> byName.put(e.name(), e));
        this.defaultEnvironment = defaultEnvironment;
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
