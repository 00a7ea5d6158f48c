package io.lockstep.config;

import io.lockstep.domain.Names;
import io.lockstep.domain.RemoteUpstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * An environment's {@code upstream} in its remote form:
 * <pre>
 * upstream: {url: https://staging.example, environment: staging, token_env: LOCKSTEP_UPSTREAM_TOKEN}
 * </pre>
 * The plain string form (an environment of this server) is read by {@link ConfigLoader}.
 */
final class RemoteUpstreamSection {
    private RemoteUpstreamSection() {
    }

    /** The remote upstream, or null when {@code node} is absent or the plain string form. */
    static RemoteUpstream parse(ConfigNode node) {
        if (!node.isPresent() || !node.raw().isObject()) {
            return null;
        }
        node.allowOnly("url", "environment", "token_env", "cache_ttl", "timeout");
        URI url = url(node);
        String environment = node.requireString("environment");
        if (!Names.isValid(environment)) {
            throw new ConfigException(node.path() + ".environment", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        String tokenEnv = node.requireString("token_env");
        if (!tokenEnv.matches("^[A-Za-z_][A-Za-z0-9_]{0,127}$")) {
            throw new ConfigException(node.path() + ".token_env", "must be the name of an environment variable");
        }
        Duration ttl = node.duration("cache_ttl", RemoteUpstream.DEFAULT_CACHE_TTL);
        Duration timeout = node.duration("timeout", RemoteUpstream.DEFAULT_TIMEOUT);
        if (ttl.isNegative()) {
            throw new ConfigException(node.path() + ".cache_ttl", "must not be negative");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ConfigException(node.path() + ".timeout", "must be longer than zero");
        }
        return new RemoteUpstream(url, environment, tokenEnv, ttl, timeout);
    }

    /** http(s), a host, and nothing that could carry a secret or be mistaken for one (no user-info, query or fragment). */
    private static URI url(ConfigNode node) {
        String path = node.path() + ".url";
        String text = node.requireString("url");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(path, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(path, "must be an http:// or https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            // the URL is not echoed: it holds credentials
            throw new ConfigException(path, "must not hold user:password@; put a read token in the variable named by token_env");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(path, "must name a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(path, "must not have a query or fragment (the token goes in token_env, never in the URL)");
        }
        return uri;
    }
}
