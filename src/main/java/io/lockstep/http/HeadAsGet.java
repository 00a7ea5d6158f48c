package io.lockstep.http;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code HEAD} by running the {@code GET} route, as RFC 9110 defines it: same status and
 * headers, no body. Javalin on its own answers {@code HEAD} for any path with a {@code GET} route
 * with {@code 200} without running the route, so a caller without a token got a success from every
 * authenticated read. Jetty still knows the request is a {@code HEAD} and sends no body.
 */
final class HeadAsGet extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.HEAD.is(request.getMethod())) {
            request = new Request.Wrapper(request) {
                @Override
                public String getMethod() {
                    return HttpMethod.GET.asString();
                }
            };
        }
        return super.handle(request, response, callback);
    }
}
