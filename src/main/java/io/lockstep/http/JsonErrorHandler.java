package io.lockstep.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (a URI too long, an encoded '/'
 * in the path, oversized headers), get the same JSON body as every other error instead of
 * Jetty's HTML page. Jetty's reason is kept only when it is a short plain phrase, so nothing
 * from the request is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        String why = reason != null && reason.length() <= 80 && reason.matches("[A-Za-z0-9 ,.:'()-]+") ? reason : "malformed request";
        return Respond.bytes(Respond.errorBody(ApiServer.codeFor(status), "The HTTP request was rejected before it"
                + " reached Lockstep (" + why + "); check the URL, headers and body size."));
    }
}
