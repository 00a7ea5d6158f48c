package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tag:} entries in a release file: {@code images: {hermes: {tag: v0.3.44}}}. Each is resolved
 * to a digest through the registry; {@code git_sha} and {@code runtime_version}, when the file does
 * not give them, come from the images' labels ({@code org.opencontainers.image.revision} /
 * {@code .version}), which must then agree across all tagged images.
 */
public final class ReleaseTags {
    private ReleaseTags() {
    }

    public static boolean hasTags(JsonNode doc) {
        for (JsonNode v : doc.path("images")) {
            if (v.isObject()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of {@code doc} with every tag replaced by its digest, or null after adding problems.
     *
     * @param repositories template → repository, from the target's {@code /cp/runtimes}
     */
    public static JsonNode resolve(JsonNode doc, Map<String, String> repositories, TagResolver resolver, List<String> problems) {
        ObjectNode out = doc.deepCopy();
        ObjectNode images = (ObjectNode) out.path("images");
        Set<String> shas = new HashSet<>();
        Set<String> versions = new HashSet<>();
        int before = problems.size();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("images").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                continue;
            }
            JsonNode tag = e.getValue().path("tag");
            if (e.getValue().size() != 1 || !tag.isTextual()) {
                problems.add("images." + e.getKey() + ": give a digest or {tag: <tag>}.");
                continue;
            }
            String repository = repositories.get(e.getKey());
            if (repository == null) {
                problems.add("images." + e.getKey() + ": the target lists no such template.");
                continue;
            }
            Optional<TagResolver.Image> image = resolver.resolve(e.getKey(), repository, tag.asText(), problems);
            image.ifPresent(i -> {
                images.put(e.getKey(), i.digest());
                shas.add(i.gitSha().orElse(""));
                versions.add(i.runtimeVersion().orElse(""));
            });
        }
        if (problems.size() > before) {
            return null;
        }
        fill(out, "git_sha", shas, "org.opencontainers.image.revision", problems);
        fill(out, "runtime_version", versions, "org.opencontainers.image.version", problems);
        return problems.size() > before ? null : out;
    }

    private static void fill(ObjectNode out, String key, Set<String> fromLabels, String label, List<String> problems) {
        if (out.hasNonNull(key)) {
            return;
        }
        if (fromLabels.size() == 1 && !fromLabels.contains("")) {
            out.put(key, fromLabels.iterator().next());
        } else if (key.equals("runtime_version")) {
            problems.add("runtime_version is not in the release file and the images' " + label
                    + " labels " + (fromLabels.contains("") ? "are missing" : "disagree: " + fromLabels) + "; set runtime_version.");
        }
    }
}
