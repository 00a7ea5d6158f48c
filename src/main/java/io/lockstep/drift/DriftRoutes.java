package io.lockstep.drift;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Names;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.http.Access;
import io.lockstep.http.Respond;
import io.lockstep.service.Environments;

/**
 * {@code GET /api/v1/drift[?environment=E]}: every finding with counts by status.
 * {@code GET /api/v1/drift/input}: the engine's whole input, so the CLI can merge several targets
 * and run the same engine across them.
 */
public final class DriftRoutes {
    private final DriftService drift;
    private final Environments environments;
    private final Access access;

    public DriftRoutes(DriftService drift, Environments environments, Access access) {
        this.drift = drift;
        this.environments = environments;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/drift", this::report);
        r.get("/api/v1/drift/input", this::input);
    }

    private void report(Context ctx) {
        String env = ctx.queryParam("environment");
        if (env != null) {
            Names.require("environment", env);
        }
        access.require(ctx, Scope.READ, null);
        DriftReport report = drift.report(env);
        Respond.json(ctx, 200, DriftWire.report(report, environments.all(), drift.gracePeriod()));
    }

    private void input(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, DriftWire.input(drift.input()));
    }
}
