package io.lockstep.http.dashboard;

import io.javalin.http.Context;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.http.Access;
import io.lockstep.service.dashboard.DashboardSessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * The session cookie → the signed-in caller, then the same scope and environment rule as the JSON API
 * ({@link Access#check}). Pages without a session redirect to the sign-in page; form POSTs without one are 401,
 * with a wrong or missing CSRF value or from another site 403. The JSON API never reads this cookie.
 *
 * <p>{@code Secure} is set on the cookie when the request is https or a proxy in front says so with
 * {@code X-Forwarded-Proto: https}. Trusting that header can only add {@code Secure}: a client that forges it gets
 * a cookie its own plain-http requests will not carry, which harms nobody else.
 */
public final class DashboardAccess {
    public static final String COOKIE = "lockstep_session";
    private final DashboardSessions sessions;

    public DashboardAccess(DashboardSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Thrown by a page whose browser is not signed in: answered with a 303 to the sign-in page, and the cookie
     * cleared when it named a session of this server that ended ({@code ended}).
     */
    static final class SignInRequired extends RuntimeException {
        final boolean ended;

        SignInRequired(boolean ended) {
            super("sign-in required", null, false, false);
            this.ended = ended;
        }
    }

    /** The signed-in session of this request, if any (a cookie of an ended or expired session is none). */
    Optional<DashboardSessions.Current> session(Context ctx) {
        return sessions.current(ctx.cookie(COOKIE));
    }

    /** For a page (GET): the session, holding {@code scope}, else a redirect to sign-in (or 403). */
    DashboardSessions.Current page(Context ctx, Scope scope) {
        DashboardSessions.LookUp found = sessions.lookUp(ctx.cookie(COOKIE));
        DashboardSessions.Current c = found.current().orElseThrow(() -> new SignInRequired(found.ended()));
        Access.check(c.caller(), scope, null);
        return c;
    }

    /** For a stream the page opens: the session holding {@code scope}, else 401 / 403 (a script cannot follow a redirect to a form). */
    DashboardSessions.Current stream(Context ctx, Scope scope) {
        DashboardSessions.Current c = session(ctx).orElseThrow(() -> new LockstepException(Problem.UNAUTHENTICATED,
                "Sign in to the dashboard first."));
        Access.check(c.caller(), scope, null);
        return c;
    }

    /**
     * For a form POST: a session (401), a same-site request (403), the session's CSRF value (403), in that order,
     * before the scope check the action itself makes.
     */
    DashboardSessions.Current form(Context ctx) {
        DashboardSessions.Current c = session(ctx).orElseThrow(() -> new LockstepException(Problem.UNAUTHENTICATED,
                "Sign in to the dashboard first; this form needs a session."));
        requireSameSite(ctx);
        String sent = ctx.formParam("csrf");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                c.session().csrfSecret().getBytes(StandardCharsets.UTF_8))) {
            throw new LockstepException(Problem.CSRF_REJECTED, "This form was not sent from this session's page"
                    + " (its CSRF value is missing or wrong); nothing was changed. Reload the page and try again.");
        }
        return c;
    }

    /** Refuses a POST another site's page sent (Sec-Fetch-Site, else Origin); a request without either passes here. */
    static void requireSameSite(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw crossSite();
        }
        String origin = ctx.header("Origin");
        // Our pages say Referrer-Policy: no-referrer, so Chromium posts their own forms with "Origin: null";
        // Sec-Fetch-Site, checked above, has then already told same-origin from cross-site.
        boolean nullFromOwnPage = site != null && "null".equals(origin);
        if (origin != null && !nullFromOwnPage && !origin.equalsIgnoreCase(ownOrigin(ctx))) {
            throw crossSite();
        }
    }

    private static LockstepException crossSite() {
        return new LockstepException(Problem.CSRF_REJECTED, "This form was sent from another site's page;"
                + " nothing was changed.");
    }

    static boolean https(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme())
                || (forwarded != null && forwarded.trim().toLowerCase(Locale.ROOT).startsWith("https"));
    }

    private static String ownOrigin(Context ctx) {
        String host = ctx.header("Host");
        return (https(ctx) ? "https://" : "http://") + (host == null ? "" : host.trim());
    }

    /** The session cookie, for {@code maxAgeSeconds} (0: delete it). */
    static void setCookie(Context ctx, String value, long maxAgeSeconds) {
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https(ctx) ? "; Secure" : ""));
    }
}
