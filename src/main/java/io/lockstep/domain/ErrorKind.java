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
    CONFLICT(409),
    TOO_LARGE(413),
    UNPROCESSABLE(422),
    UNAVAILABLE(503);

    private final int httpStatus;

    ErrorKind(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
