package io.lockstep.service.registry;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.Registries;

import java.util.Map;
import java.util.Optional;

/** Which configured registry holds a template's images (by its repository, longest prefix wins). */
public final class TemplateRegistries {
    private final Registries registries;

    public TemplateRegistries(Registries registries) {
        this.registries = registries;
    }

    public boolean isEmpty() {
        return registries.isEmpty();
    }

    /** The registry and repository path of {@code template}, if a configured registry covers it. */
    public Optional<ImageLocation> locate(Template template) {
        return registries.locate(template.repository());
    }

    /**
     * As {@link #locate} but refuses when no registry covers the template (one added at run time
     * after the config was checked): a check we cannot make must not pass.
     */
    public ImageLocation require(Template template) {
        return locate(template).orElseThrow(() -> new LockstepException(Problem.REGISTRY_NOT_CONFIGURED,
                "No registry is configured for " + template.repository() + " (template " + template.name()
                        + "); add it under registries: in the server config.",
                Map.of("template_name", template.name(), "repository", template.repository())));
    }
}
