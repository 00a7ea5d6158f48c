package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.Environment;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.service.Environments;
import io.lockstep.service.PinService;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.PromotabilityQuestion;
import io.lockstep.service.ResolveService;
import io.lockstep.service.RollbackRequest;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.TemplateService;
import io.lockstep.wire.EnvironmentJson;
import io.lockstep.wire.HistoryJson;
import io.lockstep.wire.PinJson;
import io.lockstep.wire.PromotabilityJson;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The native pin API under {@code /api/v1}: environments, pins, promote, history, rollback, resolve. */
public final class PinRoutes {
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final TemplateService templates;
    private final PinService pins;
    private final Access access;
    private final ResolveEndpoint resolveEndpoint;

    public PinRoutes(Environments environments, SnapshotHolder snapshot, TemplateService templates, PinService pins, Access access, ResolveEndpoint resolveEndpoint) {
        this.environments = environments;
        this.snapshot = snapshot;
        this.templates = templates;
        this.pins = pins;
        this.access = access;
        this.resolveEndpoint = resolveEndpoint;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/environments", this::environments);
        r.get("/api/v1/environments/{env}/pins", this::pins);
        r.get("/api/v1/environments/{env}/pins/{template}", this::pin);
        r.post("/api/v1/environments/{env}/pins/{template}/promote", this::promote);
        r.get("/api/v1/environments/{env}/pins/{template}/history", this::history);
        r.post("/api/v1/environments/{env}/pins/{template}/rollback", this::rollback);
        r.get("/api/v1/history/verify", this::verify);
        r.get("/api/v1/resolve", this::resolve);
        r.get("/api/v1/environments/{env}/promotability", this::promotability);
    }

    /** The caller (authenticated first, then its scope) and the path's environment it may act on. */
    private String env(Context ctx, Scope scope) {
        return access.environment(access.require(ctx, scope), ctx.pathParam("env"));
    }

    private void environments(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.READ);
        Respond.json(ctx, 200, Map.of("default_environment", environments.defaultName(),
                "environments", environments.all().stream().filter(e -> caller.allowsEnvironment(e.name()))
                        .map(EnvironmentJson::write).toList()));
    }

    private void pins(Context ctx) {
        String env = env(ctx, Scope.READ);
        Respond.json(ctx, 200, Map.of("environment", env,
                "pins", snapshot.get().pins(env).stream().map(PinJson::write).toList()));
    }

    private void pin(Context ctx) {
        String env = env(ctx, Scope.READ);
        String template = templates.get(ctx.pathParam("template")).name();
        PinKey key = new PinKey(env, template, Names.regionOrDefault(ctx.queryParam("region")));
        Pin pin = snapshot.get().pin(key);
        if (pin == null) {
            throw new LockstepException(Problem.PIN_NOT_FOUND,
                    "There is no pin for " + key + ".");
        }
        Respond.json(ctx, 200, PinJson.write(pin));
    }

    private void promote(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("image_digest", "digest", "git_sha", "notes", "region",
                "runtime_version", "expected_digest", "provenance", "override");
        String override = PromoteRequests.override(body, caller);
        PromoteOutcome outcome = pins.promote(PromoteRequests.request(body, () -> env, ctx.pathParam("template"))
                        .overriding(override), caller.name(),
                PromotionGate.Origin.MANUAL, caller.verified());
        Respond.json(ctx, outcome.result() == PromoteOutcome.Result.CREATED ? 201 : 200, Outcomes.json(outcome));
    }

    /** The promote's question, read-only and for the caller: {@code ?release=ID}, or {@code ?template=T&digest=D}. */
    private void promotability(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.READ);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        String release = ctx.queryParam("release");
        String template = ctx.queryParam("template");
        String digest = ctx.queryParam("digest");
        if ((release == null) == (template == null) || (template == null) != (digest == null)) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "Name either release=ID, or template=T and digest=D"
                    + " (optionally with region=R), to ask whether promoting it into " + env.name() + " would pass now.");
        }
        PromotabilityQuestion question = release != null
                ? PromotabilityQuestion.ofRelease(env, release, ctx.queryParam("region"))
                : PromotabilityQuestion.ofPin(env, template, digest, ctx.queryParam("region"));
        Respond.json(ctx, 200, PromotabilityJson.write(pins.promotability(question.by(caller.verified()), caller.name())));
    }

    private void history(Context ctx) {
        Environment env = access.hostedEnvironment(access.require(ctx, Scope.READ), ctx.pathParam("env"));
        int limit = Query.integer(ctx, "limit", 50, 1, 500);
        Long before = Query.optionalLong(ctx, "before");
        List<HistoryEntry> entries = pins.history(env, ctx.pathParam("template"), ctx.queryParam("region"), limit, before);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries.stream().map(HistoryJson::write).toList());
        body.put("next_before", entries.size() == limit ? entries.get(entries.size() - 1).seq() : null);
        Respond.json(ctx, 200, body);
    }

    private void rollback(Context ctx) {
        ApiToken caller = access.require(ctx, Scope.PROMOTE);
        Environment env = access.hostedEnvironment(caller, ctx.pathParam("env"));
        JsonBody body = JsonBody.read(ctx).allowOnly("region", "to_digest", "notes", "provenance", "override");
        String override = PromoteRequests.override(body, caller);
        PromoteOutcome outcome = pins.rollback(new RollbackRequest(env, ctx.pathParam("template"), body.string("region"),
                body.string("to_digest"), body.string("notes"), body.stringMap("provenance"), override), caller.name(),
                caller.verified());
        Respond.json(ctx, 200, Outcomes.json(outcome));
    }

    private void verify(Context ctx) {
        access.requireGlobal(ctx, Scope.READ, "The history chain links the entries of every environment");
        HistoryChain.Verification v = pins.verifyChain();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", v.valid());
        body.put("entries", v.entries());
        body.put("broken_at_seq", v.brokenAtSeq());
        body.put("reason", v.reason());
        Respond.json(ctx, v.valid() ? 200 : 409, body);
    }

    private void resolve(Context ctx) {
        ResolveResponses.Body answer = resolveEndpoint.answer(ctx.header("Authorization"), ctx.queryParam("environment"),
                ctx.queryParam("template"), ctx.queryParam("kind"), ctx.queryParam("region"));
        if (answer.gone()) {
            ctx.header(ResolveEndpoint.IMAGE_STATUS_HEADER, "gone");
        }
        ctx.status(200).contentType("application/json").result(answer.bytes());
    }

}
