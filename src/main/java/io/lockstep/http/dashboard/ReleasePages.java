package io.lockstep.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.Refusal;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseCompleteness;
import io.lockstep.domain.Template;
import io.lockstep.http.Access;
import io.lockstep.service.ApprovalService;
import io.lockstep.service.Environments;
import io.lockstep.service.PinService;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.PromotabilityQuestion;
import io.lockstep.service.ReleasePromotionRequest;
import io.lockstep.service.ReleaseService;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.dashboard.DashboardSessions;
import io.lockstep.service.dashboard.MatrixViews;
import io.lockstep.service.dashboard.ReleaseViews;
import io.lockstep.service.dashboard.ReleasesView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Releases page ({@code GET /releases}, {@code ?group=}): each release's members, completeness and, per
 * environment the caller may see, where it is, read from the promote gate's own answer
 * ({@link PinService#promotability}, as {@code GET …/promotability}). Promote
 * ({@code POST /ui/releases/{id}/promote}) and approve ({@code POST /ui/approvals/{environment}}) call the services
 * the API's release promote and approve call, so a refusal shows the API's codes and sentences, every one of them.
 */
public final class ReleasePages {
    /** Newest releases shown; each costs one gate question per visible environment. */
    static final int SHOWN = 30;

    public record Services(ReleaseService releases, PinService pins, ApprovalService approvals,
                           Environments environments, SnapshotHolder snapshot) {
    }

    private final DashboardRoutes kit;
    private final Services services;

    public ReleasePages(DashboardRoutes kit, Services services) {
        this.kit = kit;
        this.services = services;
    }

    public void register(RoutesConfig r) {
        r.get("/releases", kit.page(this::page));
        r.post("/ui/releases/{id}/promote", kit.page(this::promote));
        r.post("/ui/approvals/{environment}", kit.page(this::approve));
    }

    private void page(Context ctx) {
        DashboardSessions.Current session = kit.access().page(ctx, Scope.READ);
        String group = blankToNull(ctx.queryParam("group"));
        if (group != null) {
            Names.require("group", group);
        }
        ReleasesView.Notice notice = null;
        ReleasesView view = view(session.caller(), group, null);
        String promoted = ctx.queryParam("promoted");
        String to = ctx.queryParam("to");
        if (promoted != null && to != null && isCurrent(view, promoted, to)) { // said only when it is so
            notice = new ReleasesView.Notice("done", null, "Promoted", List.of(new ReleasesView.Reason(null,
                    "Release " + promoted + " is now current in " + to + ".")));
        }
        show(ctx, session, 200, view, notice);
    }

    private void promote(Context ctx) {
        DashboardSessions.Current session = kit.access().form(ctx);
        ApiToken caller = session.caller();
        Environment env = environment(caller, Scope.PROMOTE, ctx.formParam("environment"));
        String id = ctx.pathParam("id");
        String notes = blankToNull(ctx.formParam("notes"));
        try {
            services.pins().promoteRelease(new ReleasePromotionRequest(env, id, null, notes, Map.of(), null),
                    caller.name(), PromotionGate.Origin.RELEASE, caller.verified());
        } catch (LockstepException e) { // the API's refusal with every reason; nothing changed
            show(ctx, session, e.kind().httpStatus(), view(caller, null, null),
                    ReleaseViews.refusal("Promoting release " + id + " to " + env.name()
                            + " was refused; nothing was changed.", e));
            return;
        }
        DashboardRoutes.seeOther(ctx, "/releases?promoted=" + enc(id) + "&to=" + enc(env.name()));
    }

    private void approve(Context ctx) {
        DashboardSessions.Current session = kit.access().form(ctx);
        ApiToken caller = session.caller();
        Environment env = environment(caller, Scope.APPROVE, ctx.pathParam("environment"));
        String release = blankToNull(ctx.formParam("release"));
        if (release == null) {
            throw new LockstepException(Problem.MISSING_FIELD, "Name the release to approve (release). Nothing was"
                    + " changed.");
        }
        List<String> scopes = Arrays.stream(Scope.values()).filter(caller::allows).map(Scope::wire).toList();
        try {
            services.approvals().approve(env.name(), new ApprovalService.Subject(release, null, null, null),
                    blankToNull(ctx.formParam("notes")), caller.name(), scopes);
        } catch (LockstepException e) {
            show(ctx, session, e.kind().httpStatus(), view(caller, null, null),
                    ReleaseViews.refusal("Approving release " + release + " in " + env.name()
                            + " was refused; nothing was changed.", e));
            return;
        }
        DashboardRoutes.seeOther(ctx, "/releases");
    }

    /** The API's order: scope (403), then the environment (400 malformed, 403 not the token's, 404 not hosted). */
    private Environment environment(ApiToken caller, Scope scope, String name) {
        Access.check(caller, scope, null);
        if (name == null || name.isBlank()) {
            throw new LockstepException(Problem.MISSING_FIELD, "Name the environment (environment). Nothing was changed.");
        }
        Names.require("environment", name);
        Access.check(caller, scope, name);
        return services.environments().require(name);
    }

    private ReleasesView view(ApiToken caller, String group, ReleasesView.Notice notice) {
        PinSnapshot snapshot = services.snapshot().get();
        List<Environment> visible = services.environments().all().stream()
                .filter(e -> caller.allowsEnvironment(e.name())).toList();
        List<Release> all = new ArrayList<>(services.releases().list(group));
        all.sort(Comparator.comparing(Release::createdAt).thenComparing(Release::id).reversed());
        List<Release> shown = all.subList(0, Math.min(SHOWN, all.size()));
        // one snapshot for every question the page asks; the registry is not asked (as drift does not)
        List<PromotabilityQuestion> questions = new ArrayList<>();
        for (Release r : shown) {
            for (Environment e : visible) {
                questions.add(PromotabilityQuestion.ofRelease(e, r.id(), null).by(caller.verified()));
            }
        }
        List<List<Refusal>> answers = questions.isEmpty() ? List.of()
                : services.pins().promotability(questions, caller.name(), false);
        List<ReleasesView.Row> rows = new ArrayList<>(shown.size());
        int i = 0;
        for (Release r : shown) {
            List<ReleasesView.EnvState> states = new ArrayList<>(visible.size());
            for (Environment e : visible) {
                boolean may = caller.allowsEnvironment(e.name());
                states.add(ReleaseViews.state(e.name(), current(snapshot, r, e.name()), answers.get(i++),
                        may && caller.allows(Scope.PROMOTE), may && caller.allows(Scope.APPROVE)));
            }
            List<ReleasesView.Member> members = r.images().entrySet().stream().map(m -> new ReleasesView.Member(
                    m.getKey(), m.getValue(), MatrixViews.shortDigest(m.getValue()))).toList();
            List<String> excluded = r.exclude().entrySet().stream().map(x -> x.getKey() + ": " + x.getValue()).toList();
            rows.add(new ReleasesView.Row(r.id(), r.group(), r.runtimeVersion(), r.gitSha(), r.createdAt().toString(),
                    r.createdBy(), members, excluded,
                    ReleaseCompleteness.missing(r.group(), r.images(), r.exclude(), snapshot.templates()), states));
        }
        TreeSet<String> groups = new TreeSet<>();
        for (Template t : snapshot.templates()) {
            if (t.group() != null) {
                groups.add(t.group());
            }
        }
        return new ReleasesView(visible.stream().map(Environment::name).toList(), rows, group, List.copyOf(groups),
                shown.size(), all.size(), notice);
    }

    /** Every member the release pins is pinned to its digest in {@code env} (global region). */
    private static boolean current(PinSnapshot snapshot, Release r, String env) {
        if (r.images().isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> m : r.images().entrySet()) {
            Pin p = snapshot.pin(new PinKey(env, m.getKey(), Names.DEFAULT_REGION));
            if (p == null || !p.digest().equals(m.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCurrent(ReleasesView view, String id, String env) {
        return view.releases().stream().filter(r -> r.id().equals(id)).flatMap(r -> r.environments().stream())
                .anyMatch(s -> s.environment().equals(env) && "current".equals(s.state()));
    }

    private void show(Context ctx, DashboardSessions.Current session, int status, ReleasesView view,
                      ReleasesView.Notice notice) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("view", view);
        params.put("notice", notice);
        params.put("csrf", session.session().csrfSecret());
        if (DashboardRoutes.wantsFragment(ctx)) {
            kit.renderPage(ctx, status, "releasesMain.jte", params);
        } else {
            params.put("chrome", kit.frame(session, "Releases", "releases"));
            kit.renderPage(ctx, status, "releases.jte", params);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
