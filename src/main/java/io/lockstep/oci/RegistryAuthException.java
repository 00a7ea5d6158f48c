package io.lockstep.oci;

/**
 * The registry (or its token server) refused us after authenticating: 401 or 403. Distinct from
 * {@link RegistryUnavailableException} because retrying will not help; the credentials or the
 * granted scope must change.
 */
public class RegistryAuthException extends RegistryException {

    public RegistryAuthException(String message) {
        super(message);
    }
}
