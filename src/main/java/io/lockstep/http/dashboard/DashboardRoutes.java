package io.lockstep.http.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Event;
import io.lockstep.domain.EventFilter;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.http.Access;
import io.lockstep.http.EventRoutes;
import io.lockstep.service.Environments;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.dashboard.DashboardSessions;
import io.lockstep.service.dashboard.MatrixView;
import io.lockstep.service.dashboard.MatrixViews;
import io.lockstep.service.drift.DriftService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard (issue 14): server-rendered pages at {@code /}, sign-in and sign-out, the pages' event stream and
 * their assets. Pages are JTE templates compiled at build time (HTML content type: every {@code ${}} is escaped).
 * Every answer here carries the strict CSP and the other security headers, errors included, and every failure is
 * a small HTML page, never a stack trace.
 */
public final class DashboardRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** A page asked for with this header answers only its {@code <main>}'s content (live.js swaps it in). */
    static final String FRAGMENT_HEADER = "X-Dashboard-Fragment";
    private static final int MAX_TEXT_FILTER = 100;

    /** What the dashboard reads; the same service objects the JSON API uses. */
    public record Services(DashboardSessions sessions, TokenRegistry tokens, Environments environments,
                           DriftService drift, SnapshotHolder snapshot, EventRoutes events) {
    }

    private final Services services;
    private final DashboardAccess access;
    private final DashboardAssets assets = new DashboardAssets();
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            DashboardRoutes.class.getClassLoader(), "io.lockstep.http.dashboard.templates");
    private final String eventTypes = String.join(" ", Event.TYPES);

    public DashboardRoutes(Services services) {
        this.services = services;
        this.access = new DashboardAccess(services.sessions());
    }

    public void register(RoutesConfig r) {
        r.get("/", html(this::matrix));
        r.get("/sign-in", html(this::signInForm));
        r.post("/sign-in", html(this::signIn));
        r.post("/sign-out", html(this::signOut));
        r.get("/ui/events", html(this::events));
        r.get("/assets/{version}/{file}", assets::serve);
    }

    // ---- pages

    private void matrix(Context ctx) {
        DashboardSessions.Current session = access.page(ctx, Scope.READ);
        ApiToken caller = session.caller();
        List<String> hosted = services.environments().all().stream().map(Environment::name).toList();
        List<String> visible = caller.readable(hosted);
        MatrixView.Filter filter = matrixFilter(ctx, caller);
        MatrixView view = MatrixViews.build(services.drift().report(), services.snapshot().get(), visible, filter);
        if (fragment(ctx)) {
            render(ctx, 200, "matrixMain.jte", Map.of("view", view));
        } else {
            render(ctx, 200, "matrix.jte", Map.of("chrome", chrome(session, "Matrix", "matrix"), "view", view));
        }
    }

    private MatrixView.Filter matrixFilter(Context ctx, ApiToken caller) {
        String environment = blankToNull(ctx.queryParam("environment"));
        if (environment != null) {
            Names.require("environment", environment);
            // 403 outside the token (whether hosted or not), 404 not hosted: the API's rule
            if (!caller.allowsEnvironment(environment)) {
                Access.check(caller, Scope.READ, environment);
            }
            services.environments().require(environment);
        }
        String group = blankToNull(ctx.queryParam("group"));
        if (group != null) {
            Names.require("group", group);
        }
        String status = blankToNull(ctx.queryParam("status"));
        if (status != null) {
            status = DriftStatus.fromWire(status).wire();
        }
        String text = blankToNull(ctx.queryParam("q"));
        if (text != null && text.length() > MAX_TEXT_FILTER) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "q (the text filter) is longer than "
                    + MAX_TEXT_FILTER + " characters.");
        }
        return new MatrixView.Filter(environment, group, status, text == null ? null : text.trim()
                .toLowerCase(java.util.Locale.ROOT));
    }

    // ---- sign-in and sign-out

    private void signInForm(Context ctx) {
        if (access.session(ctx).isPresent()) {
            redirect(ctx, "/");
            return;
        }
        renderSignIn(ctx, 200, null);
    }

    private void signIn(Context ctx) {
        DashboardAccess.requireSameSite(ctx);
        String token = ctx.formParam("token");
        token = token == null ? "" : token.trim();
        ApiToken caller;
        try {
            caller = services.tokens().authenticate(token).orElse(null);
        } catch (LockstepException e) { // an OIDC ID token refused: its precise reason, never the token
            renderSignIn(ctx, e.kind().httpStatus(), e.getMessage());
            return;
        }
        if (caller == null) {
            renderSignIn(ctx, 401, "That token is not valid for this server. Nothing was stored.");
            return;
        }
        if (!caller.allows(Scope.READ)) {
            renderSignIn(ctx, 403, "Token " + caller.name() + " lacks the read scope the dashboard needs.");
            return;
        }
        DashboardSessions.SignedIn signedIn = services.sessions().signIn(caller,
                caller.secretSha256() == null ? idTokenExpiry(caller) : null);
        DashboardAccess.setCookie(ctx, signedIn.sessionId(), services.sessions().remainingSeconds(signedIn.session()));
        redirect(ctx, "/");
    }

    private void signOut(Context ctx) {
        access.form(ctx);
        services.sessions().signOut(ctx.cookie(DashboardAccess.COOKIE));
        DashboardAccess.setCookie(ctx, "", 0);
        redirect(ctx, "/sign-in");
    }

    /** The {@code exp} the token registry verified on an ID token: a session never outlives it. */
    private static Instant idTokenExpiry(ApiToken caller) {
        // never null after verification; if it were, the session ends at once
        return caller.expiresAt() == null ? Instant.EPOCH : caller.expiresAt();
    }

    // ---- live updates

    /** The pages' event stream: the session's token's environments only, as {@code GET /api/v1/events} streams them. */
    private void events(Context ctx) throws Exception {
        DashboardSessions.Current session = access.stream(ctx, Scope.READ);
        ApiToken caller = session.caller();
        // the stream ends with the session: at its expiry, or when a re-check finds it signed out or its token gone
        String cookie = ctx.cookie(DashboardAccess.COOKIE);
        services.events().stream(ctx, new EventFilter(Set.of(), null, null, caller.environments()),
                new EventRoutes.Lease(session.session().expiresAt(), () -> services.sessions().current(cookie).isPresent(),
                        "session_ended"));
    }

    // ---- plumbing

    private Chrome chrome(DashboardSessions.Current session, String title, String nav) {
        return new Chrome(title, nav, session.caller().name(), session.session().csrfSecret(), assets.version(),
                eventTypes);
    }

    private static boolean fragment(Context ctx) {
        return "main".equals(ctx.header(FRAGMENT_HEADER));
    }

    /** Security headers, then the handler; a refusal or failure becomes a small HTML page with its status. */
    private Handler html(Handler page) {
        return ctx -> {
            headers(ctx);
            try {
                page.handle(ctx);
            } catch (DashboardAccess.SignInRequired e) {
                if (e.ended) {
                    // An ended session's cookie is of no more use. A cookie this server never issued is left alone: it
                    // may be another Lockstep's on the same host, whose session clearing it would end.
                    DashboardAccess.setCookie(ctx, "", 0);
                }
                redirect(ctx, "/sign-in");
            } catch (LockstepException e) {
                if (e.details().get("retry_after_seconds") != null) {
                    ctx.header("Retry-After", e.details().get("retry_after_seconds").toString());
                }
                error(ctx, e.kind().httpStatus(), e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("dashboard page {} failed", ctx.path(), e);
                error(ctx, 500, "INTERNAL", "The dashboard failed unexpectedly; nothing was changed by this request."
                        + " The server log has details.");
            }
        };
    }

    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Vary", FRAGMENT_HEADER + ", Cookie");
    }

    private void error(Context ctx, int status, String code, String message) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("assetCss", DashboardAssets.path(assets.version(), "dashboard.css"));
        params.put("status", status);
        params.put("code", code);
        params.put("message", message);
        render(ctx, status, "error.jte", params);
    }

    private void renderSignIn(Context ctx, int status, String error) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("assetCss", DashboardAssets.path(assets.version(), "dashboard.css"));
        params.put("error", error);
        render(ctx, status, "signIn.jte", params);
    }

    private void render(Context ctx, int status, String template, Map<String, Object> params) {
        // Straight to UTF-8 bytes: one non-Latin-1 character (an ellipsis) made a StringOutput's 9 MB matrix a UTF-16
        // string, inflated and then re-encoded (a fifth of the matrix's time at 50 × 200 in bench/dashboard.sh).
        Utf8ByteOutput out = new Utf8ByteOutput();
        templates.render(template, params, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toByteArray());
    }

    private static void redirect(Context ctx, String to) {
        ctx.status(303).header("Location", to).result("");
    }

    // ---- for the per-page route classes (PinPages, ReleasePages): the same session rules, frame, rendering and errors

    DashboardAccess access() {
        return access;
    }

    Handler page(Handler handler) {
        return html(handler);
    }

    Chrome frame(DashboardSessions.Current session, String title, String nav) {
        return chrome(session, title, nav);
    }

    void renderPage(Context ctx, int status, String template, Map<String, Object> params) {
        render(ctx, status, template, params);
    }

    static boolean wantsFragment(Context ctx) {
        return fragment(ctx);
    }

    static void seeOther(Context ctx, String to) {
        redirect(ctx, to);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
