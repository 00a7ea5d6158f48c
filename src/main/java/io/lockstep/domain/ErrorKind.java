package io.lockstep.domain;

/**
 * What kind of failure a {@link LockstepException} is. Adapters map it to their own vocabulary
 * (HTTP status, CLI exit code) so the domain never knows about transports.
 */
public enum ErrorKind {
    INVALID(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TOO_SLOW(408),
    CONFLICT(409),
    TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNPROCESSABLE(422),
    HEADERS_TOO_LARGE(431),
    INTERNAL(500),
    NOT_IMPLEMENTED(501),
    UNAVAILABLE(503),
    /** What was asked for existed once and was deleted for good (events past retention). */
    GONE(410);

    private final int httpStatus;

    ErrorKind(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
