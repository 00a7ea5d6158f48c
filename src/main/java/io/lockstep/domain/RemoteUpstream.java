package io.lockstep.domain;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An upstream environment that lives on another control plane: prod's server names staging's
 * server instead of hosting an empty {@code staging} of its own (which would report every pin
 * {@code MISSING}). Holds no secret: the bearer token is read from the variable {@code tokenEnv}
 * names, at start, and kept by the reader only.
 *
 * @param url         the other server's base URL (http or https, no credentials, no query)
 * @param environment the upstream environment's name on that server
 * @param tokenEnv    the name of the environment variable holding a {@code read} token for it
 * @param cacheTtl    how long one reading of the remote is reused, so drift requests and scrapes do not hammer it
 * @param timeout     connect and request timeout of one reading
 */
public record RemoteUpstream(URI url, String environment, String tokenEnv, Duration cacheTtl, Duration timeout) {
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public RemoteUpstream {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(tokenEnv, "tokenEnv");
        cacheTtl = cacheTtl == null ? DEFAULT_CACHE_TTL : cacheTtl;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** "staging at https://staging.example": how findings and errors name it. */
    public String label() {
        return environment + " at " + url;
    }
}
