package io.lockstep.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;

/**
 * The signing keys of one issuer, through nimbus' JWK source chain: cached for
 * {@code jwks_cache_ttl}, refetched when a token names a {@code kid} the cache lacks (key rotation),
 * but at most once per {@code jwks_refetch_interval}, so tokens with made-up {@code kid}s cannot
 * make this server hammer the issuer. Where the keys are comes from the configured
 * {@code jwks_uri} or, when none is set, from the issuer's discovery document, read on first use
 * (so a server starts while an issuer is down) and kept once read.
 */
final class IssuerKeys {
    private static final int TIMEOUT_MS = 5_000;
    private static final int SIZE_LIMIT = 512 * 1024;

    private IssuerKeys() {
    }

    static JWKSource<SecurityContext> of(OidcIssuer issuer) {
        ResourceRetriever retriever = new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, SIZE_LIMIT);
        JWKSourceBuilder<SecurityContext> b = JWKSourceBuilder.create(new Discovered(issuer, retriever))
                .cache(issuer.jwksCacheTtl().toMillis(), TIMEOUT_MS * 2L)
                .refreshAheadCache(false)
                .retrying(false)
                .outageTolerant(false);
        long interval = issuer.jwksRefetchInterval().toMillis();
        b = interval > 0 ? b.rateLimited(interval) : b.rateLimited(false);
        return b.build();
    }

    /** The JWK set at the issuer's {@code jwks_uri}, found through discovery when not configured. */
    private static final class Discovered implements JWKSetSource<SecurityContext> {
        private final OidcIssuer issuer;
        private final ResourceRetriever retriever;
        private volatile URLBasedJWKSetSource<SecurityContext> keys;

        Discovered(OidcIssuer issuer, ResourceRetriever retriever) {
            this.issuer = issuer;
            this.retriever = retriever;
            if (issuer.jwksUri() != null) {
                keys = new URLBasedJWKSetSource<>(url(issuer.jwksUri()), retriever);
            }
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long now, SecurityContext context)
                throws KeySourceException {
            URLBasedJWKSetSource<SecurityContext> k = keys;
            if (k == null) {
                URI jwks = discoverJwksUri();
                try {
                    k = new URLBasedJWKSetSource<>(url(jwks), retriever);
                } catch (IllegalArgumentException e) {
                    throw new JWKSetUnavailableException("the discovery document of " + issuer.issuer()
                            + " has a jwks_uri that is not an absolute URL");
                }
                keys = k;
            }
            return k.getJWKSet(refresh, now, context);
        }

        private URI discoverJwksUri() throws KeySourceException {
            String where = issuer.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
            Map<String, Object> doc;
            try {
                doc = JSONObjectUtils.parse(retriever.retrieveResource(url(URI.create(where))).getContent());
            } catch (IOException e) {
                throw new JWKSetUnavailableException("cannot read the discovery document " + where + ": "
                        + e.getClass().getSimpleName(), e);
            } catch (ParseException e) {
                throw new JWKSetUnavailableException("the discovery document " + where + " is not JSON", e);
            }
            // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was read from.
            if (!issuer.issuer().equals(doc.get("issuer"))) {
                throw new JWKSetUnavailableException("the discovery document " + where + " names another issuer");
            }
            if (!(doc.get("jwks_uri") instanceof String jwks) || jwks.isBlank()) {
                throw new JWKSetUnavailableException("the discovery document " + where + " has no jwks_uri");
            }
            URI uri;
            try {
                uri = URI.create(jwks);
            } catch (IllegalArgumentException e) {
                throw new JWKSetUnavailableException("the discovery document " + where + " has a malformed jwks_uri");
            }
            // Keys fetched in clear could be swapped on the way: the same rule as for configured URLs.
            String host = uri.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
                throw new JWKSetUnavailableException("the discovery document " + where + " has a jwks_uri that is not https");
            }
            return uri;
        }

        @Override
        public void close() {
        }
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
    }
}
