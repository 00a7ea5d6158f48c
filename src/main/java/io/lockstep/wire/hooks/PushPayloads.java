package io.lockstep.wire.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The push notifications of each registry, normalised to {@link RegistryPush}es: one small pure
 * function per provider. Each returns the pushes of a push event, an empty list for any other event
 * of that provider (accepted and ignored), and throws {@code INVALID_NOTIFICATION} for a body that is
 * not that provider's shape. The documented example each follows is cited on its method.
 */
public final class PushPayloads {
    private PushPayloads() {
    }

    /**
     * The CNCF distribution notification envelope (also what a self-managed GitLab container registry
     * sends): {@code {"events":[{"action":"push","target":{"repository","tag","digest"}}]}}.
     * https://distribution.github.io/distribution/about/notifications/
     */
    public static List<RegistryPush> cncf(JsonNode body) {
        if (body == null || !body.path("events").isArray()) {
            throw malformed("Expected a distribution notification envelope with an events list.");
        }
        List<RegistryPush> out = new ArrayList<>();
        for (JsonNode event : body.path("events")) {
            JsonNode target = event.path("target");
            if ("push".equals(event.path("action").asText()) && target.path("repository").isTextual()) {
                out.add(new RegistryPush(target.path("repository").asText(), text(target, "tag"), text(target, "digest")));
            }
        }
        return out;
    }

    /**
     * Harbor's "Default" payload: {@code {"type":"PUSH_ARTIFACT","event_data":{"resources":[{"digest",
     * "tag","resource_url"}],"repository":{"repo_full_name":"harbor/alpine",…}}}}. The CloudEvents
     * format is refused by name rather than ignored, so a misconfigured endpoint is not silent.
     * https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/
     */
    public static List<RegistryPush> harbor(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw malformed("Expected a Harbor webhook payload (a JSON object with type and event_data).");
        }
        if (body.has("specversion")) {
            throw malformed("This is Harbor's CloudEvents payload format; set the webhook's payload format to Default.");
        }
        if (!body.path("type").isTextual()) {
            throw malformed("Expected a Harbor webhook payload with a type.");
        }
        if (!"PUSH_ARTIFACT".equals(body.path("type").asText())) {
            return List.of();
        }
        JsonNode data = body.path("event_data");
        JsonNode repository = data.path("repository").path("repo_full_name");
        if (!repository.isTextual() || !data.path("resources").isArray()) {
            throw malformed("A Harbor PUSH_ARTIFACT payload needs event_data.repository.repo_full_name and event_data.resources.");
        }
        List<RegistryPush> out = new ArrayList<>();
        for (JsonNode r : data.path("resources")) {
            String tag = text(r, "tag");
            String digest = text(r, "digest");
            // Harbor puts the digest in "tag" for an artifact pushed by digest: that is no tag.
            out.add(new RegistryPush(repository.asText(), tag != null && tag.startsWith("sha256:") ? null : tag, digest));
        }
        return out;
    }

    /**
     * Docker Hub: {@code {"callback_url","push_data":{"pushed_at","pusher","tag"},"repository":
     * {"repo_name":"svendowideit/testhook",…}}}. Docker Hub sends only pushes and no digest.
     * https://docs.docker.com/docker-hub/repos/manage/webhooks/
     */
    public static List<RegistryPush> dockerHub(JsonNode body) {
        if (body == null || !body.path("push_data").isObject() || !body.path("repository").path("repo_name").isTextual()) {
            throw malformed("Expected a Docker Hub webhook payload with push_data and repository.repo_name.");
        }
        return List.of(new RegistryPush(body.path("repository").path("repo_name").asText(), text(body.path("push_data"), "tag"), null));
    }

    /**
     * GitHub Packages, event {@code registry_package} (header {@code X-GitHub-Event}), actions
     * {@code published} and {@code updated}: {@code registry_package.namespace}/{@code name} is the
     * ghcr.io repository, {@code package_version.container_metadata.tag} its {@code name} and
     * {@code digest}. Other events ({@code ping}), actions and package types are ignored.
     * https://docs.github.com/en/webhooks/webhook-events-and-payloads#registry_package
     */
    public static List<RegistryPush> github(String event, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw malformed("Expected a GitHub webhook payload (a JSON object).");
        }
        if (!"registry_package".equals(event)) {
            return List.of();
        }
        JsonNode pkg = body.path("registry_package");
        if (!pkg.isObject() || !body.path("action").isTextual()) {
            throw malformed("A GitHub registry_package payload needs action and registry_package.");
        }
        String action = body.path("action").asText();
        String type = pkg.path("package_type").asText("");
        if (!(action.equals("published") || action.equals("updated")) || !type.equalsIgnoreCase("container")) {
            return List.of();
        }
        if (!pkg.path("namespace").isTextual() || !pkg.path("name").isTextual()) {
            throw malformed("A GitHub registry_package payload needs registry_package.namespace and name.");
        }
        // ghcr.io repository names are lower case whatever case the owner's login has.
        String repository = (pkg.path("namespace").asText() + "/" + pkg.path("name").asText()).toLowerCase(Locale.ROOT);
        JsonNode tag = pkg.path("package_version").path("container_metadata").path("tag");
        String name = text(tag, "name");
        return List.of(new RegistryPush(repository, name == null || name.isEmpty() ? null : name, text(tag, "digest")));
    }

    /**
     * Quay "Repository Push": {@code {"repository":"dgangaia/test","docker_url","updated_tags":["latest"]}}
     * (older Quay sent {@code updated_tags} as an object of tag → image id). Quay's other
     * notifications (builds, vulnerabilities) carry no {@code updated_tags} and are ignored.
     * https://docs.redhat.com/en/documentation/red_hat_quay/3.4/html/use_red_hat_quay/repository_notifications
     */
    public static List<RegistryPush> quay(JsonNode body) {
        if (body == null || !body.path("repository").isTextual()) {
            throw malformed("Expected a Quay notification with a repository.");
        }
        JsonNode tags = body.path("updated_tags");
        if (tags.isMissingNode()) {
            return List.of();
        }
        String repository = body.path("repository").asText();
        List<RegistryPush> out = new ArrayList<>();
        if (tags.isArray()) {
            for (JsonNode t : tags) {
                if (t.isTextual()) {
                    out.add(new RegistryPush(repository, t.asText(), null));
                }
            }
        } else if (tags.isObject()) {
            tags.fields().forEachRemaining(e -> out.add(new RegistryPush(repository, e.getKey(),
                    e.getValue().asText("").startsWith("sha256:") ? e.getValue().asText() : null)));
        } else {
            throw malformed("A Quay push notification's updated_tags is a list of tags.");
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static LockstepException malformed(String message) {
        return new LockstepException(Problem.INVALID_NOTIFICATION, message);
    }
}
