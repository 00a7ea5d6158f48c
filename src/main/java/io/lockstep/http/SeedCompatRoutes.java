package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.service.PinService;
import io.lockstep.service.PromotionRequest;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.wire.PinJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed control plane's endpoints, kept exactly: CI pipelines in the wild call these forms.
 * Requests that name no environment act on the server's default environment.
 */
public final class SeedCompatRoutes {
    private final PinService pins;
    private final SnapshotHolder snapshot;
    private final Access access;

    public SeedCompatRoutes(PinService pins, SnapshotHolder snapshot, Access access) {
        this.pins = pins;
        this.snapshot = snapshot;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.post("/cp/admin/runtime-image/promote", this::promote);
        r.get("/cp/admin/runtime-image", this::list);
        r.get("/cp/runtimes", this::runtimes);
    }

    private void promote(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        JsonBody body = JsonBody.read(ctx).allowOnly("template_name", "image_digest", "digest", "git_sha", "notes",
                "region", "runtime_version", "expected_digest", "environment", "provenance", "override");
        String override = PromoteRequests.override(body, caller);
        PromotionRequest request = PromoteRequests.request(body,
                () -> access.hostedEnvironment(caller, body.string("environment")), body.requiredString("template_name"))
                .overriding(override);
        PromoteOutcome outcome = pins.promote(request, caller.name(), PromotionGate.Origin.MANUAL, caller.verified());
        Respond.json(ctx, outcome.result() == PromoteOutcome.Result.CREATED ? 201 : 200, Outcomes.json(outcome));
    }

    private void list(Context ctx) {
        String env = access.environment(access.require(ctx, Scope.READ), ctx.queryParam("environment"));
        List<Object> pins = new ArrayList<>();
        snapshot.get().pins(env).forEach(p -> pins.add(PinJson.write(p)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", env);
        body.put("pins", pins);
        Respond.json(ctx, 200, body);
    }

    private void runtimes(Context ctx) {
        List<Object> out = new ArrayList<>();
        for (Template t : snapshot.get().templates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("image", t.repository());
            m.put("pinnable", t.pinnable());
            m.put("group", t.group());
            m.put("kinds", t.kinds());
            out.add(m);
        }
        Respond.json(ctx, 200, Map.of("runtimes", out));
    }

    static void rejectConflictingAlias(JsonBody body) {
        String a = body.string("image_digest");
        String b = body.string("digest");
        if (a != null && b != null && !a.equals(b)) {
            throw new LockstepException(Problem.CONFLICTING_FIELDS, "image_digest and its alias digest disagree; send one.");
        }
    }
}
