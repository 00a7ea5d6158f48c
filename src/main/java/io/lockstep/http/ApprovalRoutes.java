package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Approval;
import io.lockstep.service.ApprovalService;
import io.lockstep.wire.ApprovalJson;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Approvals (issue 12): a token with scope {@code approve} consents to one release or digest in an
 * environment; anyone who may read sees what is approved and what waits; the approver (or an admin)
 * revokes before it is used. A promote refused with {@code APPROVAL_REQUIRED} is what files a request.
 */
public final class ApprovalRoutes {
    private final ApprovalService approvals;
    private final Access access;

    public ApprovalRoutes(ApprovalService approvals, Access access) {
        this.approvals = approvals;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/environments/{env}/approvals", this::list);
        r.post("/api/v1/environments/{env}/approvals", this::approve);
        r.delete("/api/v1/environments/{env}/approvals/{id}", this::revoke);
    }

    private void list(Context ctx) {
        String env = access.environment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        ApprovalService.Listing l = approvals.list(env);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", env);
        body.put("approvals", l.approvals().stream().map(a -> ApprovalJson.write(a, l.at())).toList());
        body.put("pending", l.pending().stream().map(ApprovalJson::write).toList());
        Respond.json(ctx, 200, body);
    }

    private void approve(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.APPROVE);
        String env = access.environment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("release", "template", "digest", "region", "notes");
        List<String> scopes = Arrays.stream(Scope.values()).filter(caller::allows).map(Scope::wire).toList();
        Approval a = approvals.approve(env, new ApprovalService.Subject(body.string("release"), body.string("template"),
                body.string("digest"), body.string("region")), body.string("notes"), caller.name(), scopes);
        Respond.json(ctx, 201, ApprovalJson.write(a, a.approvedAt()));
    }

    private void revoke(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.APPROVE);
        String env = access.environment(caller, ctx.pathParam("env"));
        Approval a = approvals.revoke(env, ctx.pathParam("id"), caller.name(), caller.allows(Scope.ADMIN));
        Respond.json(ctx, 200, ApprovalJson.write(a, a.revokedAt()));
    }
}
