package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.service.PolicyService;
import io.lockstep.wire.PolicyJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An environment's promotion policy, changed without a restart: anyone who may read the environment
 * sees it and its changes; only an admin changes it, with a reason that is kept.
 */
public final class PolicyRoutes {
    private static final int HISTORY_LIMIT = 100;
    private final PolicyService policies;
    private final Access access;

    public PolicyRoutes(PolicyService policies, Access access) {
        this.policies = policies;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/environments/{env}/policy", this::show);
        r.put("/api/v1/environments/{env}/policy", this::set);
        r.delete("/api/v1/environments/{env}/policy", this::reset);
        r.get("/api/v1/environments/{env}/policy/changes", this::changes);
    }

    private void show(Context ctx) {
        Environment env = access.hostedEnvironment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        Respond.json(ctx, 200, body(policies.current(env)));
    }

    private void set(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.ADMIN);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("policy", "reason");
        if (!body.has("policy") || !body.raw().get("policy").isObject()) {
            throw new LockstepException(Problem.MISSING_FIELD, "policy is required: an object with the keys of an"
                    + " environment's policy in the configuration file (requires, freeze_windows); send {} for none.");
        }
        Respond.json(ctx, 200, body(policies.change(env, body.raw().get("policy").toString(), caller.name(),
                body.string("reason"))));
    }

    private void reset(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.ADMIN);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        // A DELETE carries no body in many clients: the reason comes in the query.
        Respond.json(ctx, 200, body(policies.change(env, null, caller.name(), ctx.queryParam("reason"))));
    }

    private void changes(Context ctx) {
        Environment env = access.hostedEnvironment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        Respond.json(ctx, 200, Map.of("changes", policies.history(env, HISTORY_LIMIT).stream().map(PolicyJson::write)
                .toList()));
    }

    private static Map<String, Object> body(PolicyService.Current current) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", current.environment().name());
        m.put("source", current.source());
        m.put("policy", PolicyJson.write(current.environment().policy()));
        current.lastChange().ifPresent(c -> m.put("last_change", PolicyJson.write(c)));
        return m;
    }
}
