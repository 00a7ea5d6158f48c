package io.lockstep.oci;

/**
 * Where a template's images live: the client of the registry that holds them and the repository
 * path on that registry ({@code registry.example.com/team/app} → {@code team/app}).
 */
public record ImageLocation(RegistryClient client, String repository) {

    /** {@code host/repository}, as people write image references. */
    public String display() {
        return client.host() + "/" + repository;
    }
}
