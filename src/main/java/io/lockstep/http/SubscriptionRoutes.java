package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionRules;
import io.lockstep.domain.webhook.SubscriptionState;
import io.lockstep.service.events.SubscriptionService;
import io.lockstep.wire.SubscriptionJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Webhook subscriptions (issue 13): admin only, and only for a token allowed on every environment, since a
 * subscription receives events of all of them. The secret is write-only.
 */
public final class SubscriptionRoutes {
    private static final String SHARED = "Webhook subscriptions receive events of every environment";
    private static final int LOG_LIMIT = 100;
    private final SubscriptionService subscriptions;
    private final Access access;

    public SubscriptionRoutes(SubscriptionService subscriptions, Access access) {
        this.subscriptions = subscriptions;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/subscriptions", this::list);
        r.post("/api/v1/subscriptions", this::create);
        r.get("/api/v1/subscriptions/{name}", this::show);
        r.delete("/api/v1/subscriptions/{name}", this::delete);
        r.get("/api/v1/subscriptions/{name}/deliveries", this::deliveries);
        r.post("/api/v1/subscriptions/{name}/deliveries/{id}/redeliver", this::redeliver);
    }

    private void list(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        long last = subscriptions.lastEventId();
        Respond.json(ctx, 200, Map.of("subscriptions", subscriptions.list().stream()
                .map(s -> SubscriptionJson.write(s, last)).toList()));
    }

    private void create(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        JsonBody body = JsonBody.read(ctx).allowOnly("name", "url", "types", "environments", "groups", "format",
                "secret");
        Subscription s = new Subscription(body.requiredString("name"), body.requiredString("url"),
                list(body, "types"), list(body, "environments"), list(body, "groups"),
                SubscriptionRules.format(body.string("format")), body.requiredString("secret"), Subscription.FROM_API);
        SubscriptionState created = subscriptions.create(s);
        Respond.json(ctx, 201, SubscriptionJson.write(created, subscriptions.lastEventId()));
    }

    private static java.util.List<String> list(JsonBody body, String field) {
        java.util.List<String> v = body.stringList(field);
        return v == null ? java.util.List.of() : v;
    }

    private void show(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        Respond.json(ctx, 200, SubscriptionJson.write(subscriptions.get(ctx.pathParam("name")),
                subscriptions.lastEventId()));
    }

    private void delete(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        subscriptions.delete(ctx.pathParam("name"));
        Respond.json(ctx, 200, Map.of("deleted", ctx.pathParam("name")));
    }

    private void deliveries(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        String name = ctx.pathParam("name");
        Respond.json(ctx, 200, Map.of("subscription", name, "deliveries", subscriptions.deliveries(name, LOG_LIMIT)
                .stream().map(SubscriptionJson::write).toList()));
    }

    private void redeliver(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        String name = ctx.pathParam("name");
        long eventId;
        try {
            eventId = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "The event id must be (a whole number).");
        }
        boolean queued = subscriptions.redeliver(name, eventId);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscription", name);
        m.put("event_id", eventId);
        m.put("status", queued ? "queued" : "pending");
        Respond.json(ctx, 202, m);
    }
}
