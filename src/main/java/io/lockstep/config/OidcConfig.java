package io.lockstep.config;

import io.lockstep.auth.Scope;
import io.lockstep.auth.ClaimRule;
import io.lockstep.auth.OidcIssuer;
import io.lockstep.auth.OidcPreset;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code oidc:} section: the CI issuers whose ID tokens are accepted as bearer tokens, and the
 * rules mapping their claims to scopes and environments. Rules of the shared GitHub and GitLab
 * issuers must pin the repository or project exactly (see {@link OidcPreset#identityClaims}).
 */
final class OidcConfig {
    /** Asymmetric only: an HMAC algorithm would make the issuer's public key a shared secret. */
    private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");

    private OidcConfig() {
    }

    static List<OidcIssuer> parse(ConfigNode oidc, List<Environment> environments) {
        oidc.requireObject();
        oidc.allowOnly("issuers");
        List<OidcIssuer> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        for (ConfigNode i : oidc.get("issuers").list()) {
            i.requireObject();
            i.allowOnly("name", "preset", "issuer", "jwks_uri", "audience", "algorithms", "clock_skew",
                    "jwks_cache_ttl", "jwks_refetch_interval", "claims", "rules");
            String name = name(i, "name");
            if (!names.add(name)) {
                throw new ConfigException(i.path() + ".name", "duplicate issuer " + name);
            }
            OidcPreset preset = null;
            if (i.get("preset").isPresent()) {
                try {
                    preset = OidcPreset.parse(i.requireString("preset"));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(i.path() + ".preset", e.getMessage());
                }
            }
            String issuer = i.string("issuer", preset == null ? null : preset.issuer());
            if (issuer == null) {
                throw new ConfigException(i.path() + ".issuer", "is required (or give a preset: github_actions, gitlab_ci)");
            }
            URI issuerUri = secureUrl(i.path() + ".issuer", issuer);
            if (issuerUri.getQuery() != null || issuerUri.getFragment() != null) {
                throw new ConfigException(i.path() + ".issuer", "must have no query or fragment");
            }
            if (!urls.add(issuer)) {
                throw new ConfigException(i.path() + ".issuer", "is configured twice");
            }
            String jwks = i.string("jwks_uri", null);
            URI jwksUri = jwks == null ? null : secureUrl(i.path() + ".jwks_uri", jwks);
            Set<String> audiences = audiences(i);
            List<String> algorithms = i.get("algorithms").isPresent() ? i.strings("algorithms")
                    : preset != null ? preset.algorithms() : List.of("RS256");
            if (algorithms.isEmpty()) {
                throw new ConfigException(i.path() + ".algorithms", "needs at least one algorithm");
            }
            for (String a : algorithms) {
                if (!ALGORITHMS.contains(a)) {
                    throw new ConfigException(i.path() + ".algorithms", "'" + a + "' is not accepted; use asymmetric"
                            + " signature algorithms only (" + String.join(", ", ALGORITHMS.stream().sorted().toList()) + ")");
                }
            }
            Duration skew = bounded(i, "clock_skew", Duration.ofSeconds(60), Duration.ZERO, Duration.ofMinutes(10));
            Duration ttl = bounded(i, "jwks_cache_ttl", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1));
            Duration refetch = bounded(i, "jwks_refetch_interval", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1));
            List<String> claims = new ArrayList<>(preset == null ? List.of() : preset.recordedClaims());
            for (String c : i.strings("claims")) {
                if (!claims.contains(c)) {
                    claims.add(c);
                }
            }
            List<ClaimRule> rules = rules(i.get("rules"), preset, environments);
            out.add(new OidcIssuer(name, issuer, jwksUri, audiences, new LinkedHashSet<>(algorithms), skew, ttl, refetch,
                    claims, rules));
        }
        return out;
    }

    private static List<ClaimRule> rules(ConfigNode list, OidcPreset preset, List<Environment> environments) {
        List<ClaimRule> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode r : list.list()) {
            r.requireObject();
            r.allowOnly("name", "match", "scopes", "environments");
            String name = name(r, "name");
            if (!names.add(name)) {
                throw new ConfigException(r.path() + ".name", "duplicate rule " + name);
            }
            ConfigNode m = r.get("match").requireObject();
            Map<String, String> match = new LinkedHashMap<>();
            if (m.isPresent()) {
                m.raw().fieldNames().forEachRemaining(k -> match.put(k, m.requireString(k)));
            }
            if (match.isEmpty()) {
                throw new ConfigException(r.path() + ".match", "needs at least one claim to match");
            }
            if (preset != null && preset.identityClaims().stream()
                    .noneMatch(c -> match.containsKey(c) && !match.get(c).endsWith("*"))) {
                throw new ConfigException(r.path() + ".match", "must pin one of "
                        + String.join(", ", preset.identityClaims().stream().sorted().toList())
                        + " exactly (no *): this issuer signs tokens for every repository it hosts");
            }
            Set<Scope> scopes = new LinkedHashSet<>();
            for (String s : r.strings("scopes")) {
                try {
                    scopes.add(Scope.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(r.path() + ".scopes", e.getMessage());
                }
            }
            if (scopes.isEmpty()) {
                throw new ConfigException(r.path() + ".scopes", "needs at least one of read, promote, admin, report");
            }
            Set<String> envs = null;
            if (r.get("environments").isPresent()) {
                envs = new LinkedHashSet<>(r.strings("environments"));
                for (String e : envs) {
                    if (environments.stream().noneMatch(x -> x.name().equals(e))) {
                        throw new ConfigException(r.path() + ".environments", "names no configured environment: " + e);
                    }
                }
            }
            out.add(new ClaimRule(name, match, scopes, envs));
        }
        if (out.isEmpty()) {
            throw new ConfigException(list.path(), "needs at least one rule (a token matching none is refused)");
        }
        return out;
    }

    private static Set<String> audiences(ConfigNode issuer) {
        ConfigNode a = issuer.get("audience");
        Set<String> out = new LinkedHashSet<>();
        if (a.isPresent() && a.raw().isArray()) {
            out.addAll(issuer.strings("audience"));
        } else if (a.isPresent()) {
            out.add(issuer.requireString("audience"));
        }
        if (out.isEmpty() || out.stream().anyMatch(String::isBlank)) {
            throw new ConfigException(a.path(), "is required: the audience the CI job requests its token for"
                    + " (e.g. this server's URL)");
        }
        return out;
    }

    /** https, or http on a loopback host only (a local test issuer): keys fetched in clear could be swapped. */
    private static URI secureUrl(String path, String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(path, "must be an absolute https URL");
        }
        String host = u.getHost();
        boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
        if (host == null || !("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback))) {
            throw new ConfigException(path, "must be an absolute https URL (http only on a loopback host)");
        }
        return u;
    }

    private static Duration bounded(ConfigNode node, String key, Duration fallback, Duration min, Duration max) {
        Duration d = node.duration(key, fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(node.path() + "." + key, "must be between " + min.toSeconds() + " s and "
                    + max.toSeconds() + " s");
        }
        return d;
    }

    private static String name(ConfigNode node, String key) {
        String v = node.requireString(key);
        if (!Names.isValid(v)) {
            throw new ConfigException(node.path() + "." + key, "must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        return v;
    }
}
