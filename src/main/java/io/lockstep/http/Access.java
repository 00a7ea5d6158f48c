package io.lockstep.http;

import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.Environment;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Names;
import io.lockstep.service.Environments;

import java.util.List;

/**
 * Bearer-token checks, in the one order every authenticated route follows: authenticate (401),
 * then the scope (403), then the environment the request names (400 malformed, 403 not allowed for
 * the token, 404 not hosted), and only then anything else about the request. So nothing about the
 * server's content, not even which environments it hosts, is answered to a caller that has not
 * shown a token allowed to see it. The environment rule itself is {@link ApiToken#allowsEnvironment}.
 *
 * <p>The token is never logged or echoed: errors say only that it is missing, unknown, or lacks a
 * scope, and name the token by its configured name.
 */
public final class Access {
    private final TokenRegistry tokens;
    private final Environments environments;

    public Access(TokenRegistry tokens, Environments environments) {
        this.tokens = tokens;
        this.environments = environments;
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

    /**
     * True when authenticating this {@code Authorization} header may wait on the network (an OIDC ID
     * token whose issuer's keys may need fetching), so the resolve fast path hands it to a pool thread.
     */
    boolean mayBlock(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && tokens.mayBlock(header.substring(7).trim());
    }

    /** The caller, after checking it holds {@code scope}; the first call of every authenticated route. */
    public ApiToken require(Context ctx, Scope scope) {
        return require(ctx.header("Authorization"), scope, null);
    }

    /** The caller, after checking it holds {@code scope} for {@code environment} (null: any environment). */
    public ApiToken require(Context ctx, Scope scope, String environment) {
        return require(ctx.header("Authorization"), scope, environment);
    }

    public ApiToken require(String authorizationHeader, Scope scope, String environment) {
        return check(caller(authorizationHeader), scope, environment);
    }

    /**
     * The scope and environment rule alone, for a caller authenticated another way (a dashboard session):
     * {@code t} itself when it holds {@code scope} for {@code environment} (null: any environment), else 403.
     */
    public static ApiToken check(ApiToken t, Scope scope, String environment) {
        if (!t.allows(scope)) {
            throw new LockstepException(Problem.FORBIDDEN, "Token " + t.name() + " lacks the "
                    + scope.wire() + " scope needed here.");
        }
        if (environment != null && !t.allowsEnvironment(environment)) {
            throw notAllowed(t, environment);
        }
        return t;
    }

    /**
     * The rule for what every environment shares: a request that changes what another environment
     * resolves (a template: its repository, kinds, group or pinnability, or a new template), or an
     * answer that covers every environment and cannot be narrowed (the history chain links the
     * entries of all environments), needs {@code scope} on every hosted environment. A token limited
     * to some environments cannot reach the others through something they share. {@code resource}
     * starts the refusal's sentence, e.g. "Templates are shared by every environment".
     */
    public ApiToken requireGlobal(Context ctx, Scope scope, String resource) {
        ApiToken t = require(ctx, scope);
        List<String> hosted = hostedNames();
        if (!t.allowsEvery(hosted)) {
            throw new LockstepException(Problem.FORBIDDEN, resource + ", so this needs a token"
                    + " allowed on every hosted environment (" + String.join(", ", hosted) + "); token "
                    + t.name() + " may act only on " + String.join(", ", t.environments()) + ".");
        }
        return t;
    }

    /**
     * The hosted environment a request acts on ({@code requested}, or the default environment when it
     * is null or empty), after checking {@code caller} may act on it. A token limited to environments
     * gets 403 for any other name, hosted or not, so it cannot probe which environments exist.
     */
    public String environment(ApiToken caller, String requested) {
        return hostedEnvironment(caller, requested).name();
    }

    /** {@link #environment}, resolved once here so the services need not look it up again. */
    public Environment hostedEnvironment(ApiToken caller, String requested) {
        Environment hosted = environments.find(requested);
        if (hosted != null && caller.allowsEnvironment(hosted.name())) {
            return hosted; // the resolve hot path: no validation work for the common case
        }
        String name = requested == null || requested.isEmpty() ? environments.defaultName() : requested;
        Names.require("environment", name);
        if (!caller.allowsEnvironment(name)) {
            throw notAllowed(caller, name);
        }
        return environments.require(name);
    }

    /**
     * The environments a read covers: the one it names (checked as {@link #environment}), or, when it
     * names none, every hosted environment {@code caller} may see. An empty name is malformed here.
     */
    public List<String> readable(ApiToken caller, String requested) {
        if (requested == null) {
            return caller.readable(hostedNames());
        }
        Names.require("environment", requested);
        return List.of(environment(caller, requested));
    }

    private List<String> hostedNames() {
        return environments.all().stream().map(Environment::name).toList();
    }

    private static LockstepException notAllowed(ApiToken t, String environment) {
        return new LockstepException(Problem.FORBIDDEN, "Token " + t.name()
                + " may not act on environment " + Names.quoteForError(environment) + ".");
    }

    private static LockstepException unauthenticated(String message) {
        return new LockstepException(Problem.UNAUTHENTICATED, message);
    }
}
