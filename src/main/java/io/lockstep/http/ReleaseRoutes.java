package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.domain.Registrants;
import io.lockstep.service.PinService;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.ReleasePromotionRequest;
import io.lockstep.service.ReleaseService;
import io.lockstep.wire.ReleaseJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registering releases (and replacing or withdrawing one nobody promoted) and promoting a whole release into an environment in one transaction. */
public final class ReleaseRoutes {
    private static final int RELEASE_BODY_LIMIT = 256 * 1024;
    private final ReleaseService releases;
    private final PinService pins;
    private final Access access;

    public ReleaseRoutes(ReleaseService releases, PinService pins, Access access) {
        this.releases = releases;
        this.pins = pins;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.post("/api/v1/releases", this::register);
        r.get("/api/v1/releases", this::list);
        r.get("/api/v1/releases/{id}", this::get);
        r.post("/api/v1/environments/{env}/releases/{id}/promote", this::promote);
        r.post("/api/v1/releases/{id}/withdraw", this::withdraw);
        r.get("/api/v1/release-events", this::events);
    }

    private void register(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE, null);
        JsonBody body = JsonBody.read(ctx, RELEASE_BODY_LIMIT).allowOnly("group", "runtime_version", "git_sha", "images", "exclude");
        ReleaseService.Registration reg = releases.register(body.requiredString("group"),
                body.requiredString("runtime_version"), body.string("git_sha"), body.stringMap("images"),
                body.stringMap("exclude"), Registrants.of(caller.name(), caller.environments()));
        Map<String, Object> out = new LinkedHashMap<>(ReleaseJson.write(reg.release()));
        out.put("result", reg.created() ? "created" : reg.replaced() ? "replaced" : "unchanged");
        Respond.json(ctx, reg.created() ? 201 : 200, out);
    }

    private void withdraw(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE, null);
        JsonBody body = ctx.req().getContentLengthLong() == 0 && ctx.contentType() == null
                ? null : JsonBody.read(ctx).allowOnly("reason");
        Respond.json(ctx, 200, ReleaseJson.writeEvent(releases.withdraw(ctx.pathParam("id"),
                body == null ? null : body.string("reason"), Registrants.of(caller.name(), caller.environments()))));
    }

    private void events(Context ctx) {
        access.require(ctx, Scope.READ, null);
        String group = ctx.queryParam("group");
        if (group != null) {
            Names.require("group", group);
        }
        Respond.json(ctx, 200, Map.of("events", releases.events(group).stream().map(ReleaseJson::writeEvent).toList()));
    }

    private void list(Context ctx) {
        access.require(ctx, Scope.READ, null);
        String group = ctx.queryParam("group");
        if (group != null) {
            Names.require("group", group);
        }
        Respond.json(ctx, 200, Map.of("releases", releases.list(group).stream().map(ReleaseJson::write).toList()));
    }

    private void get(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, ReleaseJson.write(releases.get(ctx.pathParam("id"))));
    }

    private void promote(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        JsonBody body = ctx.req().getContentLengthLong() == 0 && ctx.contentType() == null
                ? null : JsonBody.read(ctx).allowOnly("region", "notes", "provenance", "override");
        String override = PromoteRequests.override(body, caller);
        List<PromoteOutcome> outcomes = pins.promoteRelease(new ReleasePromotionRequest(env, ctx.pathParam("id"),
                body == null ? null : body.string("region"), body == null ? null : body.string("notes"),
                body == null ? Map.of() : body.stringMap("provenance"), override), caller.name(), PromotionGate.Origin.RELEASE,
                caller.verified());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", env.name());
        out.put("release_id", ctx.pathParam("id"));
        out.put("results", outcomes.stream().map(Outcomes::json).toList());
        Respond.json(ctx, 200, out);
    }
}
