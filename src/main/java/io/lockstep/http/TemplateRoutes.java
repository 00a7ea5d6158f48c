package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Template;
import io.lockstep.wire.TemplateJson;

import java.util.Map;

/**
 * Template management: anyone with read may list; creating and changing templates needs admin on
 * every hosted environment, because a template is shared: its kinds, repository and pinnability
 * decide what every environment resolves.
 */
final class TemplateRoutes {
    private static final String SHARED = "Templates are shared by every environment and decide what each one resolves";
    private final Services s;
    private final Access access;

    TemplateRoutes(Services s, Access access) {
        this.s = s;
        this.access = access;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/templates", this::list);
        r.post("/api/v1/templates", this::create);
        r.get("/api/v1/templates/{name}", this::get);
        r.put("/api/v1/templates/{name}", this::update);
    }

    private void list(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, Map.of("templates", s.templates().list().stream().map(TemplateJson::write).toList()));
    }

    private void get(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, TemplateJson.write(s.templates().get(ctx.pathParam("name"))));
    }

    private void create(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        JsonBody body = JsonBody.read(ctx).allowOnly("name", "repository", "kinds", "group", "pinnable");
        Template t = s.templates().create(fromBody(body, body.requiredString("name")));
        Respond.json(ctx, 201, TemplateJson.write(t));
    }

    private void update(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        JsonBody body = JsonBody.read(ctx).allowOnly("name", "repository", "kinds", "group", "pinnable");
        String name = ctx.pathParam("name");
        if (body.string("name") != null && !body.string("name").equals(name)) {
            throw LockstepException.invalid("CONFLICTING_FIELDS", "The body's name differs from the URL; templates cannot be renamed.");
        }
        Template t = s.templates().update(fromBody(body, name));
        Respond.json(ctx, 200, TemplateJson.write(t));
    }

    private static Template fromBody(JsonBody body, String name) {
        Boolean pinnable = body.bool("pinnable");
        return new Template(name, body.requiredString("repository"), body.stringList("kinds"), body.string("group"),
                pinnable == null || pinnable);
    }
}
