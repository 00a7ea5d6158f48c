package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Names;
import io.lockstep.service.fleet.FleetService;
import io.lockstep.wire.ConvergenceJson;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/fleet/reports} (scope {@code report}; admin also) and
 * {@code GET /api/v1/fleet/convergence[?environment=E&template=T]} (scope {@code read}; without E, every
 * environment the token may see).
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
        ApiToken caller = access.require(ctx, Scope.REPORT);
        JsonBody body = JsonBody.read(ctx, fleet.settings().maxBodyBytes());
        int stored = fleet.ingest(body.raw(), caller);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", body.raw().path("reports").size());
        out.put("instances", stored);
        Respond.json(ctx, 200, out);
    }

    /** The named environment, or every environment the token may see. */
    private void convergence(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.READ);
        List<String> environments = access.readable(caller, ctx.queryParam("environment"));
        String template = ctx.queryParam("template");
        if (template != null) {
            Names.require("template", template);
        }
        Instant now = clock.instant();
        Respond.json(ctx, 200, ConvergenceJson.write(fleet.convergence(environments, template), now,
                fleet.settings().instanceTtl()));
    }
}
