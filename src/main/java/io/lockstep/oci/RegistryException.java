package io.lockstep.oci;

/**
 * Base failure of a registry operation. Messages name the registry host, repository and reference
 * so an operator can act on them; they never contain passwords or tokens, because these messages end
 * up in API error bodies, logs and CI output.
 */
public class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
