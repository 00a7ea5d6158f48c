package io.lockstep.oci;

/**
 * The registry could not be reached or kept failing: connection refused, timeout, TLS handshake
 * failure, or 429/5xx still answered after all retries. Callers fail closed on this (a promote that
 * must verify an image answers 503, not "image missing").
 */
public class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
