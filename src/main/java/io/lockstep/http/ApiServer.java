package io.lockstep.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.lockstep.domain.LockstepException;
import io.lockstep.metrics.Metrics;
import io.lockstep.store.Store;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The HTTP adapter: Javalin on Jetty, JSON everywhere. Every failure, including unknown routes,
 * wrong methods and unexpected exceptions, is answered with {@code {"error","code"}} and never
 * with a stack trace.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final long MAX_REQUEST_BYTES = 1024 * 1024;
    private static final RequestLimits LIMITS = RequestLimits.DEFAULT;

    private final Javalin app;
    private final List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * {@code routeClasses} are the route classes' {@code register} methods, in registration order; the
     * composition root builds each route class with the services it uses. {@code resolve} also
     * answers on the fast path; {@code store} answers {@code /readyz}.
     */
    public ApiServer(String host, int port, Store store, ResolveEndpoint resolve, Metrics metrics,
                     List<Consumer<RoutesConfig>> routeClasses) {
        byte[] openapi = loadOpenApi();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    routes.add(info.getHttpMethod().name() + " " + info.getPath());
                }
            });
            config.jetty.threadPool = LIMITS.threadPool();
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.http.generateEtags = false;
            config.jetty.addConnector((server, http) -> {
                // One selector per core, like one nginx worker per core: FastResolveHandler answers
                // resolves on the selector threads, so with Jetty's default (one selector on two
                // cores) resolve could never use more than one core. bench/README.md has the numbers.
                ServerConnector connector = new ServerConnector(server, 1,
                        Runtime.getRuntime().availableProcessors(), new HttpConnectionFactory(http));
                LIMITS.configure(connector, http);
                connector.setHost(host);
                connector.setPort(port);
                return connector;
            });
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // Javalin nests its servlet context inside the innermost wrapper (see FastResolveHandler):
                // resolve fast path → request limits → HEAD as GET → Javalin.
                FastResolveHandler fast = new FastResolveHandler(resolve, metrics);
                LIMITS.around(fast).setHandler(new HeadAsGet());
                server.setHandler(fast);
            });
            config.requestLogger.http((ctx, ms) -> metrics.request(ctx.method().name(), routeOf(ctx),
                    ctx.statusCode(), Duration.ofNanos((long) (ms * 1_000_000))));

            RoutesConfig r = config.routes;
            r.get("/healthz", ctx -> Respond.json(ctx, 200, Map.of("status", "ok")));
            r.get("/readyz", ctx -> { // from memory: a flood of probes never waits on the store
                io.lockstep.store.Readiness ready = store.readiness();
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("status", ready.ready() ? "ready" : "store unavailable");
                body.put("store", store.kind());
                if (!ready.ready()) {
                    body.put("code", ready.code());
                    body.put("reason", ready.reason());
                }
                Respond.json(ctx, ready.ready() ? 200 : 503, body);
            });
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
            for (Consumer<RoutesConfig> route : routeClasses) {
                route.accept(r);
            }

            r.exception(LockstepException.class, (e, ctx) -> {
                if (e.kind() == io.lockstep.domain.ErrorKind.UNAUTHENTICATED) {
                    ctx.header("WWW-Authenticate", "Bearer");
                }
                Object retry = e.details().get("retry_after_seconds");
                if (retry != null) {
                    ctx.header("Retry-After", retry.toString());
                }
                Respond.error(ctx, e.kind().httpStatus(), e.code(), e.getMessage(), e.details());
            });
            r.exception(HttpResponseException.class, (e, ctx) -> Respond.error(ctx, e.getStatus(),
                    codeFor(e.getStatus()), sentenceFor(e.getStatus(), ctx), Map.of()));
            r.exception(BadMessageException.class, (e, ctx) -> { // a body too slow (RequestLimits)
                ctx.header("Connection", "close");
                Respond.error(ctx, e.getCode(), codeFor(e.getCode()), sentenceFor(e.getCode(), ctx), Map.of());
            });
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), routeOf(ctx), e);
                Respond.error(ctx, 500, "INTERNAL", "Lockstep failed unexpectedly; nothing was changed by this request"
                        + " unless a 2xx was returned. The server log has details.", Map.of());
            });
            r.error(404, ctx -> {
                if (isEmpty(ctx)) {
                    Respond.error(ctx, 404, "NOT_FOUND", "No such endpoint: " + ctx.method() + " " + ctx.path()
                            + ". See /openapi.yaml.", Map.of());
                }
            });
            r.error(405, ctx -> {
                if (isEmpty(ctx)) {
                    Respond.error(ctx, 405, "METHOD_NOT_ALLOWED", ctx.method() + " is not allowed on " + ctx.path() + ".",
                            Map.of());
                }
            });
            r.error(413, ctx -> {
                OversizedBody.drain(ctx); // every 413, whichever layer decided it
                if (isEmpty(ctx)) {
                    Respond.error(ctx, 413, "BODY_TOO_LARGE", "The request body is too large.", Map.of());
                }
            });
        });
    }

    private static boolean isEmpty(Context ctx) {
        String r = ctx.result();
        return r == null || r.isEmpty() || !r.startsWith("{\"error\"");
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "BODY_TOO_SLOW";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            default -> "HTTP_" + status;
        };
    }

    private static String sentenceFor(int status, Context ctx) {
        return switch (status) {
            case 413 -> "The request body is too large.";
            case 404 -> "No such endpoint: " + ctx.method() + " " + ctx.path() + ". See /openapi.yaml.";
            case 405 -> ctx.method() + " is not allowed on " + ctx.path() + ".";
            case 408 -> "The request body arrived too slowly (under " + LIMITS.minBodyBytesPerSecond() + " bytes/s, or"
                    + " nothing for " + LIMITS.idleTimeout().toSeconds() + " s); nothing was changed. Send the body in one go.";
            default -> "The request could not be handled (HTTP " + status + ").";
        };
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.yaml")) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Every registered endpoint as {@code "METHOD /path/{param}"}; tests hold the OpenAPI document to it. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    public void stop() {
        app.stop();
    }
}
