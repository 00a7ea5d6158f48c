package io.lockstep.http;

import io.lockstep.domain.LockstepException;
import io.lockstep.metrics.Metrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;

/**
 * Serves successful resolves straight from Jetty, in front of Javalin's servlet stack. Resolve is
 * the hot path (provisioners ask thousands of times a day per workload) and the servlet layer
 * costs several times the work of the lookup itself; see bench/README.md for the numbers.
 *
 * <p>Only the success case is answered here. Any request that would be an error (no token, unknown
 * template, missing pin, …) falls through to the Javalin route, which produces the one true error
 * response, so the two paths cannot disagree about errors.
 */
final class FastResolveHandler extends Handler.Wrapper {
    static final String PATH = "/api/v1/resolve";

    private final ResolveEndpoint endpoint;
    private final Metrics metrics;

    FastResolveHandler(ResolveEndpoint endpoint, Metrics metrics) {
        this.endpoint = endpoint;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.GET.is(request.getMethod()) || !PATH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        byte[] body;
        try {
            Fields query = Request.extractQueryParameters(request);
            body = endpoint.answer(request.getHeaders().get(HttpHeader.AUTHORIZATION), first(query, "environment"),
                    first(query, "template"), first(query, "kind"), first(query, "region"));
        } catch (LockstepException | IllegalArgumentException e) {
            return super.handle(request, response, callback);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        metrics.request("GET", PATH, 200, java.time.Duration.ofNanos(System.nanoTime() - started));
        return true;
    }

    private static String first(Fields query, String name) {
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }
}
