package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LineStop;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.service.LineStopService;
import io.lockstep.wire.LineStopJson;

import java.time.Clock;
import java.util.Map;

/**
 * Stop the line: {@code freezes} of an environment (or one group in it) set and lifted by people. Setting
 * one takes {@code promote} (whoever may ship may pull the cord); lifting takes {@code admin}, or the token
 * that set it (checked by the service).
 */
public final class LineStopRoutes {
    private final LineStopService stops;
    private final Access access;
    private final Clock clock;

    public LineStopRoutes(LineStopService stops, Access access, Clock clock) {
        this.stops = stops;
        this.access = access;
        this.clock = clock;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/environments/{env}/freezes", this::list);
        r.post("/api/v1/environments/{env}/freezes", this::create);
        r.delete("/api/v1/environments/{env}/freezes/{id}", this::lift);
    }

    private void list(Context ctx) {
        String env = access.environment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        String all = ctx.queryParam("all");
        if (all != null && !all.equals("true") && !all.equals("false")) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "all must be true or false.");
        }
        var now = clock.instant();
        Respond.json(ctx, 200, Map.of("freezes", stops.list(env, "true".equals(all)).stream()
                .map(s -> LineStopJson.write(s, now)).toList()));
    }

    private void create(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        String env = access.environment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("reason", "group", "until", "for");
        LineStop stop = stops.stop(env, body.string("group"), body.string("reason"), body.string("until"),
                body.string("for"), caller.name());
        Respond.json(ctx, 201, LineStopJson.write(stop, clock.instant()));
    }

    private void lift(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        String env = access.environment(caller, ctx.pathParam("env"));
        JsonBody body = ctx.req().getContentLengthLong() <= 0 && ctx.contentType() == null
                ? null : JsonBody.read(ctx).allowOnly("reason");
        LineStop lifted = stops.lift(env, ctx.pathParam("id"), caller.name(), caller.allows(Scope.ADMIN),
                body == null ? null : body.string("reason"));
        Respond.json(ctx, 200, LineStopJson.write(lifted, clock.instant()));
    }
}
