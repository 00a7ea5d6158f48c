package io.lockstep.registry;

import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.RegistryClient;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry clients of one server, one per configured prefix, and the rule that maps a template
 * to one of them: the longest configured prefix its repository starts with.
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

    /** The registry and repository path of {@code template}, if a configured registry covers it. */
    public Optional<ImageLocation> locate(Template template) {
        return config.prefixFor(template.repository()).map(prefix -> {
            String host = prefix.contains("/") ? prefix.substring(0, prefix.indexOf('/')) : prefix;
            return new ImageLocation(clients.get(prefix), template.repository().substring(host.length() + 1));
        });
    }

    /**
     * As {@link #locate} but refuses when no registry covers the template (one added at run time
     * after the config was checked): a check we cannot make must not pass.
     */
    public ImageLocation require(Template template) {
        return locate(template).orElseThrow(() -> new LockstepException(ErrorKind.UNPROCESSABLE, "REGISTRY_NOT_CONFIGURED",
                "No registry is configured for " + template.repository() + " (template " + template.name()
                        + "); add it under registries: in the server config.",
                Map.of("template_name", template.name(), "repository", template.repository())));
    }
}
