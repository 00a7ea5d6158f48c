package io.lockstep.auth;

import java.util.Collection;
import java.util.Set;

/**
 * A configured API token. Only the SHA-256 of the secret is held; {@code environments} is null
 * when the token may act on every environment.
 */
public record ApiToken(String name, Set<Scope> scopes, Set<String> environments, byte[] secretSha256) {

    public boolean allows(Scope wanted) {
        return scopes.stream().anyMatch(s -> s.grants(wanted));
    }

    public boolean allowsEnvironment(String environment) {
        return environments == null || environments.contains(environment);
    }

    /** True when the token may act on each of {@code hosted}: what it changes there, it may change everywhere. */
    public boolean allowsEvery(Collection<String> hosted) {
        return environments == null || environments.containsAll(hosted);
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + " " + scopes + "]";
    }
}
