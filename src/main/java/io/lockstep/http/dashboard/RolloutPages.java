package io.lockstep.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.http.Access;
import io.lockstep.service.Environments;
import io.lockstep.service.dashboard.DashboardSessions;
import io.lockstep.service.dashboard.RolloutView;
import io.lockstep.service.dashboard.Rollouts;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /rollout}: fleet convergence per environment and template (the numbers of
 * {@code GET /api/v1/fleet/convergence}), within the signed-in token's environments; filters {@code environment},
 * {@code group}, {@code template}. Fleet reports tell no event unless a threshold is crossed, so the page also
 * asks live.js to refresh it every {@link #REFRESH_SECONDS} seconds ({@code data-refresh-every}).
 */
public final class RolloutPages {
    static final int REFRESH_SECONDS = 15;

    private final DashboardRoutes dashboard;
    private final Environments environments;
    private final Rollouts rollouts;

    public RolloutPages(DashboardRoutes dashboard, Environments environments, Rollouts rollouts) {
        this.dashboard = dashboard;
        this.environments = environments;
        this.rollouts = rollouts;
    }

    public void register(RoutesConfig r) {
        r.get("/rollout", dashboard.page(this::rollout));
    }

    private void rollout(Context ctx) {
        DashboardSessions.Current session = dashboard.access().page(ctx, Scope.READ);
        ApiToken caller = session.caller();
        List<String> visible = caller.readable(environments.all().stream().map(Environment::name).toList());
        String environment = environmentFilter(ctx, caller, environments);
        String group = nameFilter(ctx, "group");
        String template = nameFilter(ctx, "template");
        RolloutView view = rollouts.view(environment == null ? visible : List.of(environment), visible,
                new RolloutView.Filter(environment, group, template));
        if (DashboardRoutes.wantsFragment(ctx)) {
            dashboard.renderPage(ctx, 200, "rolloutMain.jte", Map.of("view", view, "refresh", REFRESH_SECONDS));
        } else {
            dashboard.renderPage(ctx, 200, "rollout.jte", Map.of("chrome", dashboard.frame(session, "Rollout", "rollout"),
                    "view", view, "refresh", REFRESH_SECONDS));
        }
    }

    /** The {@code environment} filter: 403 outside the token (hosted or not), 404 not hosted, as the API answers. */
    static String environmentFilter(Context ctx, ApiToken caller, Environments environments) {
        String environment = nameFilter(ctx, "environment");
        if (environment != null) {
            if (!caller.allowsEnvironment(environment)) {
                Access.check(caller, Scope.READ, environment);
            }
            environments.require(environment);
        }
        return environment;
    }

    /** A name filter: blank is "any", anything else must be a valid name (400 INVALID_NAME otherwise). */
    static String nameFilter(Context ctx, String param) {
        String value = ctx.queryParam(param);
        if (value == null || value.isBlank()) {
            return null;
        }
        Names.require(param, value);
        return value;
    }
}
