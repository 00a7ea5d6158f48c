package io.lockstep.oci;

/**
 * A manifest, blob or repository that an operation needs does not exist (404). Operations whose question is
 * "does it exist?" ({@code headManifest}, {@code exists}) answer with empty/false instead.
 */
public class RegistryNotFoundException extends RegistryException {

    public RegistryNotFoundException(String message) {
        super(message);
    }
}
