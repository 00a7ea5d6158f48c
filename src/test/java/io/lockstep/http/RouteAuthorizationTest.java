package io.lockstep.http;

import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered route × every kind of caller, with the exact status. The table below is the
 * authorisation policy in one page: a route added without a row, or a row left behind by a removed
 * route, fails {@link #theTableCoversExactlyTheRegisteredRoutes}. {@code HEAD} of every {@code GET}
 * route must answer what the {@code GET} row says.
 *
 * <p>Every request targets {@code prod} (or names nothing environment-specific), so the {@code s-*}
 * columns, tokens limited to {@code staging}, show the environment rule: 403 wherever the answer is
 * about prod. Requests are valid, so an allowed caller gets the route's success status; each request
 * is built fresh (new digests, names, versions) so the statuses do not depend on the order of cells.
 */
class RouteAuthorizationTest {
    /** A stand-in CI issuer on loopback: the OIDC columns are checked per route exactly like static tokens. */
    static final StandInOidcIssuer ISSUER = new StandInOidcIssuer();

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("""
            hooks:
              registry: {secret_env: T_HOOK}
              harbor: {secret_env: T_HOOK}
              github: {secret_env: T_HOOK}
              gitlab: {secret_env: T_HOOK}
              dockerhub: {allow_from: [192.0.2.0/24]}
              quay: {allow_from: [192.0.2.0/24]}
            oidc:
              issuers:
                - name: gh
                  preset: github_actions
                  issuer: %s
                  audience: https://github.com/octo-org
                  rules:
                    - {name: authz-main, match: {repository: octo-org/octo-repo, ref: refs/heads/main}, scopes: [promote]}
                    - name: authz-staging
                      match: {repository: octo-org/octo-repo, ref: refs/heads/staging}
                      scopes: [promote]
                      environments: [staging]
            """.formatted(ISSUER.issuer()));

    @org.junit.jupiter.api.AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    /** The columns: what each request presents as its bearer token. */
    enum Caller {
        NONE("none", null),
        UNKNOWN("unknown", "not-a-configured-token-3f9a"),
        READ("read", TestConfig.READER),
        REPORT("report", TestConfig.REPORTER),
        PROMOTE("promote", TestConfig.CI),
        ADMIN("admin", TestConfig.ADMIN),
        STAGING_READ("s-read", TestConfig.STAGING_READER),
        STAGING_REPORT("s-report", TestConfig.STAGING_REPORTER),
        STAGING_PROMOTE("s-promote", TestConfig.STAGING_CI),
        STAGING_ADMIN("s-admin", TestConfig.STAGING_ADMIN),
        /** A verified OIDC ID token (GitHub's shape) whose claim rule grants promote on every environment. */
        OIDC("oidc", null),
        /** The same issuer, a rule granting promote on staging only. */
        STAGING_OIDC("s-oidc", null);

        final String column;
        private final String token;

        Caller(String column, String token) {
            this.column = column;
            this.token = token;
        }

        /** OIDC tokens are minted per request, valid at the server's clock; the others are fixed secrets. */
        String token(TestServer s) {
            return switch (this) {
                case OIDC -> ISSUER.sign(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(ISSUER.issuer()), s.clock.instant()));
                case STAGING_OIDC -> ISSUER.sign(StandInOidcIssuer.fresh(CiTokenClaims.with(
                        CiTokenClaims.githubActions(ISSUER.issuer()), "ref", "refs/heads/staging"), s.clock.instant()));
                default -> token;
            };
        }
    }

    /*
     * s-* = the same scope limited to environments: [staging]. oidc / s-oidc = a verified OIDC ID token
     * whose claim rule grants promote everywhere / on staging only: the same answers as promote / s-promote. Template mutations are 403 for s-admin:
     * a template is global, so changing it changes what prod resolves (issue 9 item 1).
     */
    private static final String TABLE = """
            route                                                      | none unknown read report promote admin | s-read s-report s-promote s-admin | oidc s-oidc
            GET    /healthz                                            | 200  200     200  200    200     200   | 200    200      200       200 | 200  200
            GET    /readyz                                             | 200  200     200  200    200     200   | 200    200      200       200 | 200  200
            GET    /metrics                                            | 200  200     200  200    200     200   | 200    200      200       200 | 200  200
            GET    /openapi.yaml                                       | 200  200     200  200    200     200   | 200    200      200       200 | 200  200
            GET    /cp/runtimes                                        | 200  200     200  200    200     200   | 200    200      200       200 | 200  200
            GET    /cp/admin/runtime-image                             | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /cp/admin/runtime-image/promote                     | 401  401     403  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/environments                                | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            GET    /api/v1/environments/{env}/pins                     | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/environments/{env}/pins/{template}          | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/environments/{env}/pins/{template}/promote  | 401  401     403  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/environments/{env}/pins/{template}/history  | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/environments/{env}/promotability            | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/environments/{env}/pins/{template}/rollback | 401  401     403  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/history/verify                              | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/resolve                                     | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/templates                                   | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            POST   /api/v1/templates                                   | 401  401     403  403    403     201   | 403    403      403       403 | 403  403
            GET    /api/v1/templates/{name}                            | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            PUT    /api/v1/templates/{name}                            | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            POST   /api/v1/releases                                    | 401  401     403  403    201     201   | 403    403      201       201 | 201  201
            GET    /api/v1/releases                                    | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            GET    /api/v1/releases/{id}                               | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            POST   /api/v1/environments/{env}/releases/{id}/promote    | 401  401     403  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/releases/{id}/withdraw                      | 401  401     403  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/release-events                              | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            GET    /api/v1/events                                      | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            GET    /api/v1/environments/{env}/fences                   | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/environments/{env}/fences                   | 401  401     403  403    403     201   | 403    403      403       403 | 403  403
            DELETE /api/v1/environments/{env}/fences/{id}              | 401  401     403  403    403     204   | 403    403      403       403 | 403  403
            GET    /api/v1/environments/{env}/policy                   | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            PUT    /api/v1/environments/{env}/policy                   | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            DELETE /api/v1/environments/{env}/policy                   | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            GET    /api/v1/environments/{env}/policy/changes           | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/environments/{env}/freezes                  | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/environments/{env}/freezes                  | 401  401     403  403    201     201   | 403    403      403       403 | 201  403
            DELETE /api/v1/environments/{env}/freezes/{id}             | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            GET    /api/v1/environments/{env}/approvals                | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/environments/{env}/approvals                | 401  401     403  403    403     409   | 403    403      403       403 | 403  403
            DELETE /api/v1/environments/{env}/approvals/{id}           | 401  401     403  403    403     404   | 403    403      403       403 | 403  403
            GET    /api/v1/drift                                       | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            GET    /api/v1/drift/input                                 | 401  401     200  403    200     200   | 200    403      200       200 | 200  200
            POST   /api/v1/fleet/reports                               | 401  401     403  200    403     200   | 403    403      403       403 | 403  403
            GET    /api/v1/fleet/convergence                           | 401  401     200  403    200     200   | 403    403      403       403 | 200  403
            POST   /api/v1/hooks/registry                              | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            POST   /api/v1/hooks/harbor                                | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            POST   /api/v1/hooks/dockerhub                             | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            POST   /api/v1/hooks/github                                | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            POST   /api/v1/hooks/quay                                  | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            POST   /api/v1/hooks/gitlab                                | 401  401     401  401    401     401   | 401    401      401       401 | 401  401
            GET    /api/v1/subscriptions                               | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            POST   /api/v1/subscriptions                               | 401  401     403  403    403     201   | 403    403      403       403 | 403  403
            GET    /api/v1/subscriptions/{name}                        | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            DELETE /api/v1/subscriptions/{name}                        | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            GET    /api/v1/subscriptions/{name}/deliveries             | 401  401     403  403    403     200   | 403    403      403       403 | 403  403
            POST   /api/v1/subscriptions/{name}/deliveries/{id}/redeliver      | 401  401     403  403    403     404   | 403    403      403       403 | 403  403
            """;

    /** One request to send, and what to undo after it so the next cell starts from the same state. */
    record Req(String method, String path, String body, Runnable after) {
        static Req get(String path) {
            return new Req("GET", path, null, () -> { });
        }

        static Req post(String path, String body) {
            return new Req("POST", path, body, () -> { });
        }

        Req then(Runnable undo) {
            return new Req(method, path, body, undo);
        }
    }

    /** State every request relies on, created once per server by the unrestricted admin token. */
    record Fixture(TestServer s, String template, String releaseId) {
        String freshDigestPromoteBody() {
            return Json.obj("image_digest", Unique.digest(), "git_sha", "19f3175", "notes", "authz table");
        }

        void liftProdFences() {
            Http.Response list = s.http.get("/api/v1/environments/prod/fences", TestConfig.ADMIN);
            list.json().path("fences").forEach(f ->
                    s.http.delete("/api/v1/environments/prod/fences/" + f.path("id").asText(), TestConfig.ADMIN));
        }

        void resetProdPolicy() {
            assertThat(s.http.delete("/api/v1/environments/prod/policy?reason=authz%20table", TestConfig.ADMIN).status())
                    .isEqualTo(200);
        }

        /** Stop-the-line freezes set by the admin: a promote token that did not set one may not lift it. */
        void liftProdFreezes() {
            Http.Response list = s.http.get("/api/v1/environments/prod/freezes", TestConfig.ADMIN);
            list.json().path("freezes").forEach(f ->
                    s.http.delete("/api/v1/environments/prod/freezes/" + f.path("id").asText(), TestConfig.ADMIN));
        }

        String createProdFreeze() {
            Http.Response r = s.http.post("/api/v1/environments/prod/freezes", TestConfig.ADMIN,
                    Json.obj("reason", "authz table", "for", "10m"));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().path("id").asText();
        }

        String createProdFence() {
            Http.Response r = s.http.post("/api/v1/environments/prod/fences", TestConfig.ADMIN,
                    Json.obj("reason", "authz table", "ttl_seconds", 600));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().path("id").asText();
        }
    }

    /** How each route is exercised; keyed like the table. */
    private static final Map<String, Function<Fixture, Req>> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("GET /healthz", f -> Req.get("/healthz"));
        REQUESTS.put("GET /readyz", f -> Req.get("/readyz"));
        REQUESTS.put("GET /metrics", f -> Req.get("/metrics"));
        REQUESTS.put("GET /openapi.yaml", f -> Req.get("/openapi.yaml"));
        REQUESTS.put("GET /cp/runtimes", f -> Req.get("/cp/runtimes"));
        REQUESTS.put("GET /cp/admin/runtime-image", f -> Req.get("/cp/admin/runtime-image?environment=prod"));
        REQUESTS.put("POST /cp/admin/runtime-image/promote", f -> Req.post("/cp/admin/runtime-image/promote",
                Json.obj("template_name", f.template(), "image_digest", Unique.digest(), "git_sha", "19f3175",
                        "notes", "authz table", "environment", "prod")));
        REQUESTS.put("GET /api/v1/environments", f -> Req.get("/api/v1/environments"));
        REQUESTS.put("GET /api/v1/environments/{env}/pins", f -> Req.get("/api/v1/environments/prod/pins"));
        REQUESTS.put("GET /api/v1/environments/{env}/pins/{template}",
                f -> Req.get("/api/v1/environments/prod/pins/" + f.template()));
        REQUESTS.put("POST /api/v1/environments/{env}/pins/{template}/promote",
                f -> Req.post("/api/v1/environments/prod/pins/" + f.template() + "/promote", f.freshDigestPromoteBody()));
        REQUESTS.put("GET /api/v1/environments/{env}/pins/{template}/history",
                f -> Req.get("/api/v1/environments/prod/pins/" + f.template() + "/history"));
        REQUESTS.put("POST /api/v1/environments/{env}/pins/{template}/rollback", f -> {
            // a fresh digest first, so there is always exactly one step to roll back
            Http.Response r = f.s().http.post("/api/v1/environments/prod/pins/" + f.template() + "/promote",
                    TestConfig.ADMIN, f.freshDigestPromoteBody());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return Req.post("/api/v1/environments/prod/pins/" + f.template() + "/rollback", "{}");
        });
        REQUESTS.put("GET /api/v1/environments/{env}/promotability", f -> Req.get(
                "/api/v1/environments/prod/promotability?release=" + f.releaseId()));
        REQUESTS.put("GET /api/v1/history/verify", f -> Req.get("/api/v1/history/verify"));
        REQUESTS.put("GET /api/v1/resolve", f -> Req.get("/api/v1/resolve?environment=prod&template=" + f.template()));
        REQUESTS.put("GET /api/v1/templates", f -> Req.get("/api/v1/templates"));
        REQUESTS.put("POST /api/v1/templates", f -> {
            String name = Unique.name("authz");
            return Req.post("/api/v1/templates", Json.obj("name", name, "repository", "registry.example.com/authz/" + name));
        });
        REQUESTS.put("GET /api/v1/templates/{name}", f -> Req.get("/api/v1/templates/" + f.template()));
        REQUESTS.put("PUT /api/v1/templates/{name}", f -> new Req("PUT", "/api/v1/templates/" + f.template(),
                Json.obj("repository", "registry.example.com/authz/" + f.template(), "kinds", List.of("authz")),
                () -> { }));
        REQUESTS.put("POST /api/v1/releases", f -> Req.post("/api/v1/releases", release(Unique.name("v1.0"))));
        REQUESTS.put("GET /api/v1/releases", f -> Req.get("/api/v1/releases"));
        REQUESTS.put("GET /api/v1/releases/{id}", f -> Req.get("/api/v1/releases/" + f.releaseId()));
        REQUESTS.put("POST /api/v1/releases/{id}/withdraw", f -> {
            // A fresh, never-promoted release registered by an unrestricted token for every caller.
            Http.Response r = f.s().http.post("/api/v1/releases", TestConfig.ADMIN, release(Unique.name("v2.0")));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return Req.post("/api/v1/releases/" + r.json().path("id").asText() + "/withdraw", "{}");
        });
        REQUESTS.put("GET /api/v1/release-events", f -> Req.get("/api/v1/release-events"));
        REQUESTS.put("GET /api/v1/events", f -> Req.get("/api/v1/events?limit=5"));
        REQUESTS.put("POST /api/v1/environments/{env}/releases/{id}/promote",
                f -> Req.post("/api/v1/environments/prod/releases/" + f.releaseId() + "/promote", "{}"));
        REQUESTS.put("GET /api/v1/environments/{env}/fences", f -> Req.get("/api/v1/environments/prod/fences"));
        REQUESTS.put("POST /api/v1/environments/{env}/fences", f -> Req.post("/api/v1/environments/prod/fences",
                Json.obj("reason", "authz table", "ttl_seconds", 600)).then(f::liftProdFences));
        REQUESTS.put("DELETE /api/v1/environments/{env}/fences/{id}",
                f -> new Req("DELETE", "/api/v1/environments/prod/fences/" + f.createProdFence(), null, f::liftProdFences));
        REQUESTS.put("GET /api/v1/environments/{env}/policy", f -> Req.get("/api/v1/environments/prod/policy"));
        REQUESTS.put("PUT /api/v1/environments/{env}/policy", f -> new Req("PUT", "/api/v1/environments/prod/policy",
                "{\"policy\": {}, \"reason\": \"authz table\"}", f::resetProdPolicy));
        REQUESTS.put("DELETE /api/v1/environments/{env}/policy",
                f -> new Req("DELETE", "/api/v1/environments/prod/policy?reason=authz%20table", null, () -> { }));
        REQUESTS.put("GET /api/v1/environments/{env}/policy/changes",
                f -> Req.get("/api/v1/environments/prod/policy/changes"));
        REQUESTS.put("GET /api/v1/environments/{env}/freezes", f -> Req.get("/api/v1/environments/prod/freezes"));
        REQUESTS.put("POST /api/v1/environments/{env}/freezes", f -> Req.post("/api/v1/environments/prod/freezes",
                Json.obj("reason", "authz table", "for", "10m")).then(f::liftProdFreezes));
        REQUESTS.put("DELETE /api/v1/environments/{env}/freezes/{id}",
                f -> new Req("DELETE", "/api/v1/environments/prod/freezes/" + f.createProdFreeze(), null, f::liftProdFreezes));
        // prod has no approvals policy here: admin (who holds approve) gets 409 APPROVALS_NOT_CONFIGURED / 404 UNKNOWN_APPROVAL
        REQUESTS.put("GET /api/v1/environments/{env}/approvals", f -> Req.get("/api/v1/environments/prod/approvals"));
        REQUESTS.put("POST /api/v1/environments/{env}/approvals", f -> Req.post("/api/v1/environments/prod/approvals",
                Json.obj("release", f.releaseId())));
        REQUESTS.put("DELETE /api/v1/environments/{env}/approvals/{id}",
                f -> new Req("DELETE", "/api/v1/environments/prod/approvals/authz-no-such-approval", null, () -> { }));
        REQUESTS.put("GET /api/v1/drift", f -> Req.get("/api/v1/drift?environment=prod"));
        REQUESTS.put("GET /api/v1/drift/input", f -> Req.get("/api/v1/drift/input"));
        REQUESTS.put("POST /api/v1/fleet/reports", f -> Req.post("/api/v1/fleet/reports",
                "{\"reports\":[{\"instance_id\":\"" + Unique.name("authz-i") + "\",\"environment\":\"prod\",\"template\":\""
                        + f.template() + "\",\"digest\":\"" + Unique.digest() + "\",\"observed_at\":\""
                        + f.s().clock.instant() + "\"}]}"));
        REQUESTS.put("GET /api/v1/fleet/convergence", f -> Req.get("/api/v1/fleet/convergence?environment=prod"));
        REQUESTS.put("POST /api/v1/hooks/registry", f -> Req.post("/api/v1/hooks/registry", "{\"events\":[]}"));
        REQUESTS.put("POST /api/v1/hooks/harbor", f -> Req.post("/api/v1/hooks/harbor", "{\"type\":\"PING\"}"));
        REQUESTS.put("POST /api/v1/hooks/dockerhub", f -> Req.post("/api/v1/hooks/dockerhub", "{}"));
        REQUESTS.put("POST /api/v1/hooks/github", f -> Req.post("/api/v1/hooks/github", "{}"));
        REQUESTS.put("POST /api/v1/hooks/quay", f -> Req.post("/api/v1/hooks/quay", "{}"));
        REQUESTS.put("POST /api/v1/hooks/gitlab", f -> Req.post("/api/v1/hooks/gitlab", "{\"events\":[]}"));
        // webhook subscriptions: an admin allowed on every environment only; the redeliver names an event the
        // subscription does not receive, so the admin's answer is 404 UNKNOWN_EVENT
        REQUESTS.put("GET /api/v1/subscriptions", f -> Req.get("/api/v1/subscriptions"));
        REQUESTS.put("POST /api/v1/subscriptions", f -> {
            String name = Unique.name("authz-sub");
            return Req.post("/api/v1/subscriptions", subscription(name))
                    .then(() -> f.s().http.delete("/api/v1/subscriptions/" + name, TestConfig.ADMIN));
        });
        REQUESTS.put("GET /api/v1/subscriptions/{name}", f -> Req.get("/api/v1/subscriptions/" + subscribed(f)));
        REQUESTS.put("DELETE /api/v1/subscriptions/{name}", f -> {
            String name = Unique.name("authz-sub");
            assertThat(f.s().http.post("/api/v1/subscriptions", TestConfig.ADMIN, subscription(name)).status())
                    .isEqualTo(201);
            return new Req("DELETE", "/api/v1/subscriptions/" + name, null,
                    () -> f.s().http.delete("/api/v1/subscriptions/" + name, TestConfig.ADMIN));
        });
        REQUESTS.put("GET /api/v1/subscriptions/{name}/deliveries",
                f -> Req.get("/api/v1/subscriptions/" + subscribed(f) + "/deliveries"));
        REQUESTS.put("POST /api/v1/subscriptions/{name}/deliveries/{id}/redeliver",
                f -> Req.post("/api/v1/subscriptions/" + subscribed(f) + "/deliveries/1/redeliver", ""));
    }

    private static final Map<StoreKind, Fixture> FIXTURES = new EnumMap<>(StoreKind.class);

    private static synchronized Fixture fixture(StoreKind kind) {
        return FIXTURES.computeIfAbsent(kind, k -> {
            TestServer s = servers.of(k);
            String template = Unique.name("authz-tpl");
            Http.Response t = s.http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", template,
                    "repository", "registry.example.com/authz/" + template, "kinds", List.of("authz")));
            assertThat(t.status()).as(t.body()).isEqualTo(201);
            for (String env : List.of("staging", "prod")) {
                Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote",
                        TestConfig.ADMIN, Json.obj("image_digest", Unique.digest()));
                assertThat(p.status()).as(p.body()).isEqualTo(201);
            }
            Http.Response r = s.http.post("/api/v1/releases", TestConfig.ADMIN, release("v0.9.0"));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return new Fixture(s, template, r.json().path("id").asText());
        });
    }

    /** A subscription to an event nothing here causes, at a documentation address (TEST-NET-3, no lookup). */
    private static String subscription(String name) {
        return Json.obj("name", name, "url", "https://203.0.113.9/authz", "types", List.of("image.gone"),
                "secret", "authz-table-secret-0123");
    }

    /** The fixture's subscription, made by the unrestricted admin on first use. */
    private static String subscribed(Fixture f) {
        if (f.s().http.get("/api/v1/subscriptions/authz-sub", TestConfig.ADMIN).status() == 404) {
            assertThat(f.s().http.post("/api/v1/subscriptions", TestConfig.ADMIN, subscription("authz-sub")).status())
                    .isEqualTo(201);
        }
        return "authz-sub";
    }

    /** A complete release of the test config's group {@code runtime}. */
    private static String release(String version) {
        Map<String, String> images = new LinkedHashMap<>();
        for (String member : TestConfig.GROUP) {
            images.put(member, Unique.digest());
        }
        return Json.obj("group", "runtime", "runtime_version", version, "git_sha", "19f3175", "images", images);
    }

    /** One parsed row of {@link #TABLE}. */
    record Row(String route, Map<Caller, Integer> expected) {
        String method() {
            return route.substring(0, route.indexOf(' '));
        }
    }

    static List<Row> table() {
        List<String> lines = TABLE.lines().filter(l -> !l.isBlank()).toList();
        List<Caller> columns = new ArrayList<>();
        for (String header : lines.get(0).replace("|", " ").trim().split("\\s+")) {
            Arrays.stream(Caller.values()).filter(c -> c.column.equals(header)).forEach(columns::add);
        }
        assertThat(columns).as("every caller has a column, in the header").containsExactly(Caller.values());
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.replace("|", " ").trim().split("\\s+");
            assertThat(cells).as(line).hasSize(2 + columns.size());
            Map<Caller, Integer> expected = new EnumMap<>(Caller.class);
            for (int i = 0; i < columns.size(); i++) {
                int status = Integer.parseInt(cells[2 + i]);
                assertThat(status).as("never a 5xx: %s", line).isBetween(200, 499);
                expected.put(columns.get(i), status);
            }
            rows.add(new Row(cells[0] + " " + cells[1], expected));
        }
        return rows;
    }

    @Test
    void theTableCoversExactlyTheRegisteredRoutes() {
        Set<String> registered = new TreeSet<>(servers.of(StoreKind.SQLITE).server.routes());
        // the dashboard's session-authenticated routes have their own table
        registered.removeAll(io.lockstep.http.dashboard.DashboardRouteAuthorizationTest.ROUTES);
        List<String> inTable = table().stream().map(Row::route).toList();
        assertThat(new LinkedHashSet<>(inTable)).as("a route has one row").hasSize(inTable.size());

        Set<String> withoutRow = new TreeSet<>(registered);
        inTable.forEach(withoutRow::remove);
        Set<String> stale = new TreeSet<>(inTable);
        stale.removeAll(registered);
        assertThat(withoutRow).as("registered routes without a row in the table").isEmpty();
        assertThat(stale).as("table rows naming no registered route").isEmpty();
        assertThat(REQUESTS.keySet()).as("every row has a request").containsExactlyInAnyOrderElementsOf(inTable);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyRouteAnswersEveryCallerExactlyAsTheTableSays(StoreKind kind) {
        Fixture f = fixture(kind);
        List<String> wrong = new ArrayList<>();
        for (Row row : table()) {
            for (Caller caller : Caller.values()) {
                int want = row.expected().get(caller);
                Req req = REQUESTS.get(row.route()).apply(f);
                Http.Response r = send(f.s(), req.method(), req.path(), req.body(), caller.token(f.s()));
                req.after().run();
                if (r.status() != want) {
                    wrong.add(row.route() + " as " + caller.column + ": " + r.status() + " (table: " + want + ") "
                            + abbreviate(r.body()));
                }
                if (r.status() < 500) {
                    Api.assertNoInternals(r); // a 5xx is already listed above, as no cell of the table is one
                }
                if (row.method().equals("GET")) {
                    // HEAD is GET without the body: the same decision, never a shortcut around it
                    Req head = REQUESTS.get(row.route()).apply(f);
                    Http.Response h = send(f.s(), "HEAD", head.path(), null, caller.token(f.s()));
                    head.after().run();
                    if (h.status() != want) {
                        wrong.add("HEAD" + row.route().substring(3) + " as " + caller.column + ": " + h.status()
                                + " (table: " + want + ")");
                    }
                    assertThat(h.body()).as("HEAD %s has no body", head.path()).isEmpty();
                }
            }
        }
        assertThat(wrong).as("cells that differ from the table").isEmpty();
    }

    /**
     * Authentication comes before everything else the request says: without a valid token, a
     * request naming an unknown environment, template, release or fence, with a malformed body,
     * is 401 and tells nothing (no list of hosted environments, no "not found").
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutAValidTokenEveryAuthenticatedRouteIs401WhateverElseTheRequestGetsWrong(StoreKind kind) {
        TestServer s = fixture(kind).s();
        List<String> wrong = new ArrayList<>();
        for (Row row : table()) {
            for (Caller caller : List.of(Caller.NONE, Caller.UNKNOWN)) {
                if (row.expected().get(caller) != 401) {
                    continue;
                }
                String path = row.route().substring(row.method().length() + 1).replaceAll("\\{[a-z]+}", "qa")
                        + "?environment=qa&template=nope&kind=nope&group=nope";
                for (String method : row.method().equals("GET") ? List.of("GET", "HEAD") : List.of(row.method())) {
                    Http.Response r = send(s, method, path, method.equals("GET") || method.equals("HEAD") ? null
                            : "{not json", caller.token(s));
                    if (r.status() != 401 || r.body().contains("staging")) {
                        wrong.add(method + " " + path + " as " + caller.column + ": " + r.status() + " " + abbreviate(r.body()));
                    }
                }
            }
        }
        assertThat(wrong).as("answers given before authentication").isEmpty();
    }

    private static Http.Response send(TestServer s, String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return s.http.send(b, token);
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
