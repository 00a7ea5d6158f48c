package io.lockstep.store;

import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;

/** The database cannot be reached; callers answer 503 and change nothing. */
public class StoreUnavailableException extends LockstepException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(ErrorKind.UNAVAILABLE, "STORE_UNAVAILABLE", message);
        initCause(cause);
    }
}
