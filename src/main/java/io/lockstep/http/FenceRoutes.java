package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.service.FenceService;
import io.lockstep.wire.FenceJson;

import java.util.Map;

/** Rollout fences: an admin holds promotes into an environment while something risky is under way. */
public final class FenceRoutes {
    private final FenceService fences;
    private final Access access;

    public FenceRoutes(FenceService fences, Access access) {
        this.fences = fences;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/environments/{env}/fences", this::list);
        r.post("/api/v1/environments/{env}/fences", this::create);
        r.delete("/api/v1/environments/{env}/fences/{id}", this::lift);
    }

    private void list(Context ctx) {
        String env = access.environment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        Respond.json(ctx, 200, Map.of("fences", fences.active(env).stream().map(FenceJson::write).toList()));
    }

    private void create(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.ADMIN);
        String env = access.environment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("reason", "ttl_seconds");
        Long ttl = body.integer("ttl_seconds");
        if (ttl == null) {
            throw new LockstepException(Problem.MISSING_FIELD, "ttl_seconds is required: fences always expire.");
        }
        Respond.json(ctx, 201, FenceJson.write(fences.create(env, body.requiredString("reason"), ttl, caller.name())));
    }

    private void lift(Context ctx) {
        String env = access.environment(access.require(ctx, Scope.ADMIN), ctx.pathParam("env"));
        fences.lift(env, ctx.pathParam("id"));
        ctx.status(204);
    }
}
