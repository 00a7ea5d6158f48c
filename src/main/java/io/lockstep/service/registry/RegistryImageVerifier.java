package io.lockstep.service.registry;

import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.RegistryException;
import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.service.ImageVerifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verify before promote (a pin must never point at an image the registry does not have): in an
 * environment with {@code verify_images: true}, every digest
 * must exist in its template's repository. Missing images are {@code 422 IMAGE_NOT_FOUND} naming each
 * repository and digest; a registry we cannot ask is {@code 503 REGISTRY_UNAVAILABLE}. It fails
 * closed: an unanswered question is never a yes.
 */
public final class RegistryImageVerifier implements ImageVerifier {
    private final TemplateRegistries registries;

    public RegistryImageVerifier(TemplateRegistries registries) {
        this.registries = registries;
    }

    @Override
    public void verify(Environment environment, Map<Template, String> digests) {
        if (!environment.verifyImages()) {
            return;
        }
        List<Map<String, Object>> missing = new ArrayList<>();
        for (Map.Entry<Template, String> e : digests.entrySet()) {
            ImageLocation where = registries.require(e.getKey());
            if (!exists(where, e.getValue(), environment)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("template_name", e.getKey().name());
                m.put("repository", where.display());
                m.put("digest", e.getValue());
                missing.add(m);
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = missing.stream().map(m -> m.get("repository") + "@" + m.get("digest")).toList();
            throw new LockstepException(Problem.IMAGE_NOT_FOUND, "The registry does not have "
                    + String.join(", ", names) + "; environment " + environment.name()
                    + " only pins images that exist (verify_images). Push the image or check the digest; nothing was changed.",
                    Map.of("missing", missing));
        }
    }

    static boolean exists(ImageLocation where, String digest, Environment environment) {
        try {
            return where.client().exists(where.repository(), digest);
        } catch (RegistryException e) {
            // Unavailable, refused credentials, or a registry contradicting itself: we cannot tell, so refuse.
            throw new LockstepException(Problem.REGISTRY_UNAVAILABLE, "Cannot verify " + where.display()
                    + "@" + digest + " for environment " + environment.name() + " (verify_images): " + e.getMessage()
                    + "; nothing was changed, retry when the registry answers.",
                    Map.of("repository", where.display(), "digest", digest));
        }
    }
}
