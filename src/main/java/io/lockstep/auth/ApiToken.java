package io.lockstep.auth;

import io.lockstep.domain.VerifiedIdentity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A caller: a configured API token, or a CI job that presented a verified OIDC ID token. For a
 * configured token only the SHA-256 of the secret is held; {@code environments} is null when the
 * caller may act on every environment. {@code verified} is the proven CI identity of an OIDC caller
 * (null for a configured token, whose identity is only what its holder says); {@code secretSha256}
 * is null for an OIDC caller. Both kinds go through exactly the same scope and environment checks.
 *
 * <p>{@code expiresAt} is when the credential stops being accepted: an ID token's {@code exp}; null for a
 * configured token, which lasts as long as the configuration names it. A live stream ends then (a request is
 * checked when it arrives, a stream for as long as it is open).
 *
 * <p>The one environment rule, for writes and reads alike: a token limited to environments may act
 * on, and see, only those environments. A named environment outside its list is refused; a read that
 * names none shows only the token's environments ({@link #readable}).
 */
public record ApiToken(String name, Set<Scope> scopes, Set<String> environments, byte[] secretSha256,
                       VerifiedIdentity verified, Instant expiresAt) {

    public ApiToken(String name, Set<Scope> scopes, Set<String> environments, byte[] secretSha256,
                    VerifiedIdentity verified) {
        this(name, scopes, environments, secretSha256, verified, null);
    }

    /** A configured (static) token. */
    public ApiToken(String name, Set<Scope> scopes, Set<String> environments, byte[] secretSha256) {
        this(name, scopes, environments, secretSha256, null, null);
    }

    /** The proven CI identity behind this caller, when it authenticated with an OIDC ID token. */
    public Optional<VerifiedIdentity> verifiedIdentity() {
        return Optional.ofNullable(verified);
    }

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

    /** Of the {@code hosted} environments, in their order, those this token may see. */
    public List<String> readable(Collection<String> hosted) {
        return hosted.stream().filter(this::allowsEnvironment).toList();
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + " " + scopes + "]";
    }
}
