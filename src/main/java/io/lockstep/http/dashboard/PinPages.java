package io.lockstep.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.http.Access;
import io.lockstep.service.Environments;
import io.lockstep.service.PinService;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.RollbackRequest;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.TemplateService;
import io.lockstep.service.dashboard.DashboardSessions;
import io.lockstep.service.dashboard.PinView;
import io.lockstep.service.dashboard.PinViews;
import io.lockstep.service.dashboard.ReleaseViews;
import io.lockstep.service.dashboard.ReleasesView;
import io.lockstep.service.drift.DriftService;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pin page ({@code GET /pins/{environment}/{template}}, {@code ?region=}): the pin, its history, the chain's
 * state, and a rollback to any earlier digest ({@code POST /ui/pins/{environment}/{template}/rollback}) through
 * the same {@link PinService#rollback} the API calls, so a refusal is the API's Problem and sentence.
 */
public final class PinPages {
    static final int HISTORY_SHOWN = 100;

    /** What the pin page reads and calls: the services the JSON API uses. */
    public record Services(PinService pins, Environments environments, SnapshotHolder snapshot,
                           TemplateService templates, DriftService drift, Clock clock) {
    }

    private final DashboardRoutes kit;
    private final Services services;

    public PinPages(DashboardRoutes kit, Services services) {
        this.kit = kit;
        this.services = services;
    }

    public void register(RoutesConfig r) {
        r.get("/pins/{environment}/{template}", kit.page(this::page));
        r.post("/ui/pins/{environment}/{template}/rollback", kit.page(this::rollback));
    }

    private void page(Context ctx) {
        DashboardSessions.Current session = kit.access().page(ctx, Scope.READ);
        Long done = null;
        String rolledBack = ctx.queryParam("rolled_back");
        if (rolledBack != null && rolledBack.matches("[0-9]{1,18}")) {
            done = Long.parseLong(rolledBack);
        }
        show(ctx, session, 200, view(ctx, session.caller(), Scope.READ, ctx.queryParam("region"), done), null);
    }

    private void rollback(Context ctx) {
        DashboardSessions.Current session = kit.access().form(ctx);
        ApiToken caller = session.caller();
        String region = blankToNull(ctx.formParam("region"));
        PinView before = view(ctx, caller, Scope.PROMOTE, region, null);
        String notes = ctx.formParam("notes");
        if (notes == null || notes.isBlank()) {
            throw new LockstepException(Problem.MISSING_FIELD, "A rollback needs a reason (the notes field): it is"
                    + " recorded in the pin's history. Nothing was changed.");
        }
        String toDigest = blankToNull(ctx.formParam("to_digest"));
        if (toDigest == null) {
            throw new LockstepException(Problem.MISSING_FIELD, "Name the digest to roll back to (to_digest)."
                    + " Nothing was changed.");
        }
        Environment env = services.environments().require(before.environment());
        PromoteOutcome outcome;
        try {
            outcome = services.pins().rollback(new RollbackRequest(env, before.template(), region, toDigest,
                    notes.trim(), Map.of(), null), caller.name(), caller.verified());
        } catch (LockstepException e) { // the API's refusal, shown on the page it was asked from; nothing changed
            show(ctx, session, e.kind().httpStatus(), view(ctx, caller, Scope.READ, region, null),
                    ReleaseViews.refusal("The rollback was refused; nothing was changed.", e));
            return;
        }
        String path = before.path();
        DashboardRoutes.seeOther(ctx, outcome.entry() == null ? path
                : path + (path.contains("?") ? "&" : "?") + "rolled_back=" + outcome.entry().seq());
    }

    /**
     * The page's view for {@code caller}, after the API's checks in the API's order: the scope, the environment
     * (400 malformed, 403 not the token's, 404 not hosted), then the template (400 / 404).
     */
    private PinView view(Context ctx, ApiToken caller, Scope scope, String regionName, Long done) {
        Access.check(caller, scope, null);
        String envName = ctx.pathParam("environment");
        Names.require("environment", envName);
        Access.check(caller, scope, envName);
        Environment env = services.environments().require(envName);
        String template = services.templates().get(ctx.pathParam("template")).name();
        String region = Names.regionOrDefault(regionName);
        PinKey key = new PinKey(env.name(), template, region);
        DriftFinding finding = null;
        for (DriftFinding f : services.drift().report().findings()) {
            if (f.key().equals(key)) {
                finding = f;
                break;
            }
        }
        HistoryChain.Verification chain = caller.allowsEvery(services.environments().all().stream()
                .map(Environment::name).toList()) ? services.pins().verifyChain() : null;
        return PinViews.build(new PinViews.Input(env.name(), template, region, services.snapshot().get().pin(key),
                finding, services.pins().history(env, template, region, HISTORY_SHOWN, null), chain,
                caller.allows(Scope.PROMOTE) && caller.allowsEnvironment(env.name()), done,
                services.clock().instant()));
    }

    private void show(Context ctx, DashboardSessions.Current session, int status, PinView view,
                      ReleasesView.Notice notice) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("view", view);
        params.put("notice", notice);
        params.put("csrf", session.session().csrfSecret());
        if (DashboardRoutes.wantsFragment(ctx)) {
            kit.renderPage(ctx, status, "pinMain.jte", params);
        } else {
            params.put("chrome", kit.frame(session, view.template() + " in " + view.environment(), "pin"));
            kit.renderPage(ctx, status, "pin.jte", params);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
