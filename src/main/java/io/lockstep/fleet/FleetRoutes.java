package io.lockstep.fleet;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Names;
import io.lockstep.http.Access;
import io.lockstep.http.JsonBody;
import io.lockstep.http.Respond;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/fleet/reports} (scope {@code report}; admin also) and
 * {@code GET /api/v1/fleet/convergence[?environment=E&template=T]} (scope {@code read}).
 */
public final class FleetRoutes {
    private final FleetService fleet;
    private final Access access;
    private final Clock clock;

    public FleetRoutes(FleetService fleet, Access access, Clock clock) {
        this.fleet = fleet;
        this.access = access;
        this.clock = clock;
    }

    public void register(RoutesConfig r) {
        r.post("/api/v1/fleet/reports", this::reports);
        r.get("/api/v1/fleet/convergence", this::convergence);
    }

    private void reports(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.REPORT, null);
        JsonBody body = JsonBody.read(ctx, fleet.settings().maxBodyBytes());
        int stored = fleet.ingest(body.raw(), caller);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", body.raw().path("reports").size());
        out.put("instances", stored);
        Respond.json(ctx, 200, out);
    }

    private void convergence(Context ctx) {
        String env = ctx.queryParam("environment");
        String template = ctx.queryParam("template");
        if (env != null) {
            Names.require("environment", env);
        }
        if (template != null) {
            Names.require("template", template);
        }
        access.require(ctx, Scope.READ, env);
        Instant now = clock.instant();
        Respond.json(ctx, 200, ConvergenceWire.answer(fleet.convergence(env, template), now,
                fleet.settings().instanceTtl()));
    }
}
