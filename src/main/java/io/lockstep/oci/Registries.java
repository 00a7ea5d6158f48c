package io.lockstep.oci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry clients of one server, one per configured prefix, and the rule that maps an image
 * repository to one of them: the longest configured prefix it starts with.
 */
public final class Registries {
    private final RegistriesConfig config;
    private final Map<String, RegistryClient> clients = new LinkedHashMap<>();

    public Registries(RegistriesConfig config) {
        this.config = config;
        config.registries().forEach((prefix, rc) -> clients.put(prefix, new RegistryClient(rc)));
    }

    public boolean isEmpty() {
        return clients.isEmpty();
    }

    /**
     * The registry and repository path of {@code repository} ({@code host[:port]/path}, as a template
     * names its image), if a configured registry covers it.
     */
    public Optional<ImageLocation> locate(String repository) {
        return config.prefixFor(repository).map(prefix -> {
            String host = prefix.contains("/") ? prefix.substring(0, prefix.indexOf('/')) : prefix;
            return new ImageLocation(clients.get(prefix), repository.substring(host.length() + 1));
        });
    }
}
