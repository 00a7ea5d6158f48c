package io.lockstep.http;

import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;

import java.util.List;

/**
 * Bearer-token checks. The token is never logged or echoed: errors say only that it is missing,
 * unknown, or lacks a scope, and name the token by its configured name.
 */
public final class Access {
    private final TokenRegistry tokens;
    private final List<String> hostedEnvironments;

    /** {@code hostedEnvironments}: every environment this server hosts, for {@link #requireGlobal}. */
    public Access(TokenRegistry tokens, List<String> hostedEnvironments) {
        this.tokens = tokens;
        this.hostedEnvironments = List.copyOf(hostedEnvironments);
    }

    public ApiToken caller(Context ctx) {
        return caller(ctx.header("Authorization"));
    }

    /** The token an {@code Authorization} header value presents; 401 when missing or unknown. */
    public ApiToken caller(String header) {
        if (header == null || header.isBlank()) {
            throw unauthenticated("This endpoint needs a token: send Authorization: Bearer <token>.");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated("Use the Bearer scheme: Authorization: Bearer <token>.");
        }
        return tokens.authenticate(header.substring(7).trim())
                .orElseThrow(() -> unauthenticated("The bearer token is not valid for this server."));
    }

    /** The caller, after checking it holds {@code scope} for {@code environment} (null: any environment). */
    public ApiToken require(Context ctx, Scope scope, String environment) {
        return require(ctx.header("Authorization"), scope, environment);
    }

    public ApiToken require(String authorizationHeader, Scope scope, String environment) {
        ApiToken t = caller(authorizationHeader);
        if (!t.allows(scope)) {
            throw new LockstepException(ErrorKind.FORBIDDEN, "FORBIDDEN", "Token " + t.name() + " lacks the "
                    + scope.wire() + " scope needed here.");
        }
        if (environment != null && !t.allowsEnvironment(environment)) {
            throw new LockstepException(ErrorKind.FORBIDDEN, "FORBIDDEN", "Token " + t.name()
                    + " may not act on environment " + environment + ".");
        }
        return t;
    }

    /**
     * The rule for global resources: a request that changes what another environment resolves (a
     * template: its repository, kinds, group or pinnability, or a new template) needs {@code scope} on
     * every hosted environment. A token limited to some environments cannot reach the others through
     * something they share. {@code resource} starts the refusal's sentence, e.g. "Templates are shared
     * by every environment".
     */
    public ApiToken requireGlobal(Context ctx, Scope scope, String resource) {
        ApiToken t = require(ctx, scope, null);
        if (!t.allowsEvery(hostedEnvironments)) {
            throw new LockstepException(ErrorKind.FORBIDDEN, "FORBIDDEN", resource + ", so changing them needs a token"
                    + " allowed on every hosted environment (" + String.join(", ", hostedEnvironments) + "); token "
                    + t.name() + " may act only on " + String.join(", ", t.environments()) + ".");
        }
        return t;
    }

    private static LockstepException unauthenticated(String message) {
        return new LockstepException(ErrorKind.UNAUTHENTICATED, "UNAUTHENTICATED", message);
    }
}
