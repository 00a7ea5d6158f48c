package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.service.TemplateService;
import io.lockstep.wire.TemplateJson;

import java.util.Map;

/**
 * Template management: anyone with read may list; creating and changing templates needs admin on
 * every hosted environment, because a template is shared: its kinds, repository and pinnability
 * decide what every environment resolves.
 */
public final class TemplateRoutes {
    private static final String SHARED = "Templates are shared by every environment and decide what each one resolves";
    private final TemplateService templates;
    private final Access access;

    public TemplateRoutes(TemplateService templates, Access access) {
        this.templates = templates;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/templates", this::list);
        r.post("/api/v1/templates", this::create);
        r.get("/api/v1/templates/{name}", this::get);
        r.put("/api/v1/templates/{name}", this::update);
    }

    private void list(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, Map.of("templates", templates.list().stream().map(TemplateJson::write).toList()));
    }

    private void get(Context ctx) {
        access.require(ctx, Scope.READ, null);
        Respond.json(ctx, 200, TemplateJson.write(templates.get(ctx.pathParam("name"))));
    }

    private void create(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        JsonBody body = JsonBody.read(ctx).allowOnly("name", "repository", "kinds", "group", "pinnable");
        Template t = templates.create(fromBody(body, body.requiredString("name")));
        Respond.json(ctx, 201, TemplateJson.write(t));
    }

    private void update(Context ctx) {
        access.requireGlobal(ctx, Scope.ADMIN, SHARED);
        JsonBody body = JsonBody.read(ctx).allowOnly("name", "repository", "kinds", "group", "pinnable");
        String name = ctx.pathParam("name");
        if (body.string("name") != null && !body.string("name").equals(name)) {
            throw new LockstepException(Problem.CONFLICTING_FIELDS, "The body's name differs from the URL; templates cannot be renamed.");
        }
        Template t = templates.update(fromBody(body, name));
        Respond.json(ctx, 200, TemplateJson.write(t));
    }

    private static Template fromBody(JsonBody body, String name) {
        Boolean pinnable = body.bool("pinnable");
        return new Template(name, body.requiredString("repository"), body.stringList("kinds"), body.string("group"),
                pinnable == null || pinnable);
    }
}
