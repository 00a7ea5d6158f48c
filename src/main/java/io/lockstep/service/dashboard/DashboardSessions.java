package io.lockstep.service.dashboard;

import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.DashboardSession;
import io.lockstep.store.SessionStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Dashboard sign-in: a token presented once becomes a session, so the browser never keeps the token. The session
 * id (256 random bits) goes to the browser only; the store keeps its SHA-256, the token's name and, for a
 * configured token, the token's SHA-256, which every request looks up again among the configured tokens (a
 * removed token's sessions stop working at once). An OIDC principal has no configured token to look up, so its
 * session keeps the principal's scopes and environments and ends no later than its ID token did.
 */
public final class DashboardSessions {
    /** Base64url of 32 bytes, no padding. */
    private static final int ID_LENGTH = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionStore store;
    private final TokenRegistry tokens;
    private final Clock clock;
    private final Duration ttl;

    public DashboardSessions(SessionStore store, TokenRegistry tokens, Clock clock, Duration ttl) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A new session: the id for the cookie (never stored) and what is stored. */
    public record SignedIn(String sessionId, DashboardSession session) {
        @Override
        public String toString() {
            return "SignedIn[" + session + "]";
        }
    }

    /** A live session and the caller it stands for, checked again on this request. */
    public record Current(DashboardSession session, ApiToken caller) {
    }

    /**
     * Signs {@code caller} in until the TTL ends, or {@code notAfter} (an ID token's expiry) when sooner. Expired
     * sessions of everybody are deleted first, so the table does not grow with abandoned sign-ins.
     */
    public SignedIn signIn(ApiToken caller, Instant notAfter) {
        Instant now = clock.instant();
        store.deleteExpired(now);
        Instant expires = now.plus(ttl);
        if (notAfter != null && notAfter.isBefore(expires)) {
            expires = notAfter;
        }
        String id = randomId();
        boolean configured = caller.secretSha256() != null;
        DashboardSession s = new DashboardSession(sha256Hex(id), caller.name(),
                configured ? HexFormat.of().formatHex(caller.secretSha256()) : null,
                configured ? null : caller.scopes().stream().map(Scope::wire).sorted().collect(Collectors.joining(",")),
                configured || caller.environments() == null ? null : String.join(",", caller.environments()),
                randomId(), now, expires);
        store.insert(s);
        return new SignedIn(id, s);
    }

    /** The session a cookie value names, when it exists, has not expired and its token is still configured. */
    public Optional<Current> current(String sessionId) {
        return lookUp(sessionId).current();
    }

    /**
     * What a cookie value names: a {@code current} session, or none; {@code ended} when it named a session of this
     * server that expired or whose token is gone (its cookie is of no more use), not when this server never issued it
     * (a cookie of another Lockstep on the same host: cookies are kept per host, not per port).
     */
    public record LookUp(Optional<Current> current, boolean ended) {
    }

    public LookUp lookUp(String sessionId) {
        if (sessionId == null || sessionId.length() != ID_LENGTH || !sessionId.matches("[A-Za-z0-9_-]+")) {
            return new LookUp(Optional.empty(), false);
        }
        Optional<DashboardSession> found = store.find(sha256Hex(sessionId));
        if (found.isEmpty()) {
            return new LookUp(Optional.empty(), false);
        }
        DashboardSession s = found.get();
        if (s.expiredAt(clock.instant())) {
            store.delete(s.idSha256());
            return new LookUp(Optional.empty(), true);
        }
        Optional<Current> current = caller(s).map(c -> new Current(s, c));
        return new LookUp(current, current.isEmpty());
    }

    /** Ends the session (idempotent). */
    public void signOut(String sessionId) {
        if (sessionId != null && sessionId.length() == ID_LENGTH) {
            store.delete(sha256Hex(sessionId));
        }
    }

    /** Seconds the session has left, for the cookie's Max-Age. */
    public long remainingSeconds(DashboardSession s) {
        return Math.max(0, Duration.between(clock.instant(), s.expiresAt()).toSeconds());
    }

    public Duration ttl() {
        return ttl;
    }

    private Optional<ApiToken> caller(DashboardSession s) {
        if (s.tokenSha256() != null) {
            byte[] hash;
            try {
                hash = HexFormat.of().parseHex(s.tokenSha256());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            // the same name too: a token renamed in the configuration is a different identity on the page
            return tokens.configured(hash).filter(t -> t.name().equals(s.tokenName()));
        }
        Set<Scope> scopes = new LinkedHashSet<>();
        if (s.scopes() != null && !s.scopes().isEmpty()) {
            Arrays.stream(s.scopes().split(",")).map(Scope::parse).forEach(scopes::add);
        }
        Set<String> envs = s.environments() == null ? null : new LinkedHashSet<>(Arrays.asList(s.environments().split(",")));
        return Optional.of(new ApiToken(s.tokenName(), Set.copyOf(scopes), envs, null, null));
    }

    private static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256Hex(String value) {
        return HexFormat.of().formatHex(TokenRegistry.sha256(value));
    }
}
