package io.lockstep.auth;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A configured API token. Only the SHA-256 of the secret is held; {@code environments} is null
 * when the token may act on every environment.
 *
 * <p>The one environment rule, for writes and reads alike: a token limited to environments may act
 * on, and see, only those environments. A named environment outside its list is refused; a read that
 * names none shows only the token's environments ({@link #readable}).
 */
public record ApiToken(String name, Set<Scope> scopes, Set<String> environments, byte[] secretSha256) {

    public boolean allows(Scope wanted) {
        return scopes.stream().anyMatch(s -> s.grants(wanted));
    }

    public boolean allowsEnvironment(String environment) {
        return environments == null || environments.contains(environment);
    }

    /** Of the {@code hosted} environments, in their order, those this token may see. */
    public List<String> readable(Collection<String> hosted) {
        return hosted.stream().filter(this::allowsEnvironment).toList();
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + " " + scopes + "]";
    }
}
