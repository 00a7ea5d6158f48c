package io.lockstep.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Jetty's {@link QoSHandler} (requests over the limit wait without holding a thread), answering the
 * requests it turns away with Lockstep's JSON error and a {@code Retry-After}, so a client can tell
 * "busy, try again" from a failure. See {@link RequestLimits}.
 */
final class ConcurrencyLimit extends QoSHandler {
    static final String CODE = "SERVER_BUSY";
    private static final int RETRY_AFTER_SECONDS = 2;
    private final byte[] body;

    ConcurrencyLimit(int maxRequests, int maxWaiting, Duration maxWait, String why) {
        setMaxRequestCount(maxRequests);
        setMaxSuspendedRequestCount(maxWaiting);
        setMaxSuspend(maxWait);
        this.body = Respond.bytes(Respond.errorBody(CODE,
                "Lockstep is busy (" + why + "); nothing was changed. Retry in a few seconds."));
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        busy(request, response, callback);
    }

    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            busy(request, response, callback);
        } else {
            super.failSuspended(request, response, callback, status, failure);
        }
    }

    private void busy(Request request, Response response, Callback callback) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed"));
            return;
        }
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        if (RequestLimits.hasBody(request)) {
            // The body was never read, so the connection cannot carry the client's next request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
