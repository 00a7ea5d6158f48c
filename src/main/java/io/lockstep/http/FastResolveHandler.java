package io.lockstep.http;

import io.lockstep.domain.LockstepException;
import io.lockstep.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Serves successful resolves straight from Jetty, in front of Javalin's servlet stack. Resolve is
 * the hot path (provisioners ask thousands of times a day per workload) and the servlet layer
 * costs several times the work of the lookup itself; see bench/README.md for the numbers.
 *
 * <p>Only the success case is answered here. Any request that would be an error (no token, unknown
 * template, missing pin, …) falls through to the Javalin route, which produces the one true error
 * response, so the two paths cannot disagree about errors.
 *
 * <p>Threads: resolves are answered on the Jetty selector thread that parsed them (see
 * {@link #getInvocationType}); every other request goes to the thread pool first.
 */
final class FastResolveHandler extends Handler.Wrapper {
    static final String PATH = "/api/v1/resolve";

    /** RFC 9110's methods, PATCH and QUERY; the metrics' method label uses the same set. */
    static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "QUERY");
    private static final byte[] NOT_IMPLEMENTED = notImplementedBody();

    private final ResolveEndpoint endpoint;
    private final Timer resolved;
    private final Timer notImplemented;

    FastResolveHandler(ResolveEndpoint endpoint, Metrics metrics) {
        this.endpoint = endpoint;
        this.resolved = metrics.requestTimer("GET", PATH, 200);
        this.notImplemented = metrics.requestTimer("OTHER", "unmatched", 501);
    }

    /**
     * Declares this server's request handling non-blocking, so Jetty runs it on the thread that read
     * the request instead of handing every request to another thread. That hand-off, not the lookup,
     * dominated resolve's cost. It is true only because everything that may block (the servlet
     * stack: store writes, registry calls) is moved to the server's thread pool by {@link #dispatch}.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!STANDARD_METHODS.contains(request.getMethod())) {
            return notImplemented(response, callback);
        }
        if (!HttpMethod.GET.is(request.getMethod()) || !PATH.equals(Request.getPathInContext(request))) {
            return dispatch(request, response, callback);
        }
        if (endpoint.mayBlock(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return dispatch(request, response, callback); // an OIDC token may fetch keys: never on the selector
        }
        long started = System.nanoTime();
        ResolveResponses.Body answer;
        try {
            Fields query = Request.extractQueryParameters(request);
            answer = endpoint.answer(request.getHeaders().get(HttpHeader.AUTHORIZATION), first(query, "environment"),
                    first(query, "template"), first(query, "kind"), first(query, "region"));
        } catch (LockstepException | IllegalArgumentException e) {
            return dispatch(request, response, callback);
        }
        byte[] body = answer.bytes();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (answer.gone()) {
            response.getHeaders().put(ResolveEndpoint.IMAGE_STATUS_HEADER, "gone");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        resolved.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return true;
    }

    /** Hands a request to Javalin on a pool thread, as Jetty's own QoSHandler resumes requests. */
    private boolean dispatch(Request request, Response response, Callback callback) {
        try {
            getServer().getThreadPool().execute(() -> {
                try {
                    if (!super.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, 404);
                    }
                } catch (Throwable failure) {
                    Response.writeError(request, response, callback, failure);
                }
            });
        } catch (RejectedExecutionException full) {
            Response.writeError(request, response, callback, 503, "server overloaded");
        }
        return true;
    }

    /**
     * A method no route could ever match is answered here, on the selector, without the servlet
     * stack or a pool thread: anyone can send thousands of made-up methods, unauthenticated, and
     * each costs the server as little as possible (RFC 9110: 501 for an unrecognised method).
     */
    private boolean notImplemented(Response response, Callback callback) {
        long started = System.nanoTime();
        response.setStatus(501);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, NOT_IMPLEMENTED.length);
        response.write(true, ByteBuffer.wrap(NOT_IMPLEMENTED), callback);
        notImplemented.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return true;
    }

    private static byte[] notImplementedBody() {
        return Respond.bytes(Respond.errorBody("NOT_IMPLEMENTED", "Lockstep does not implement this HTTP method; its API"
                + " uses GET, POST, PUT and DELETE (see /openapi.yaml)."));
    }

    private static String first(Fields query, String name) {
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }
}
