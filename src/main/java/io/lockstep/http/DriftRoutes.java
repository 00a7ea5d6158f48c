package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.service.Environments;
import io.lockstep.service.drift.DriftService;
import io.lockstep.wire.DriftJson;

import java.util.List;

/**
 * {@code GET /api/v1/drift[?environment=E]}: every finding with counts by status.
 * {@code GET /api/v1/drift/input}: the engine's whole input, so the CLI can merge several targets
 * and run the same engine across them. Both show a token limited to environments only its own.
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

    /** Findings of the named environment, or of every environment the token may see. */
    private void report(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.READ);
        List<String> covered = access.readable(caller, ctx.queryParam("environment"));
        DriftReport report = drift.report().forEnvironments(covered);
        List<Environment> shown = environments.all().stream().filter(e -> caller.allowsEnvironment(e.name())).toList();
        Respond.json(ctx, 200, DriftJson.writeReport(report, shown, drift.gracePeriod()));
    }

    /** The engine's input narrowed to the environments the token may see (templates and releases are global). */
    private void input(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.READ);
        Respond.json(ctx, 200, DriftJson.writeInput(drift.input().forEnvironments(access.readable(caller, null))));
    }
}
