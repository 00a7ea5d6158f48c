package io.lockstep.cli.client;

import io.lockstep.config.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigNode;
import io.lockstep.domain.Names;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.ManifestRef;
import io.lockstep.config.RegistriesSection;
import io.lockstep.oci.Registries;
import io.lockstep.oci.RegistryException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves image tags to digests for the CLI, through the registry, before anything is written. The
 * registry settings come from {@code --registry-config FILE}: a YAML file with the same
 * {@code registries:} section as the server's config (credentials from environment variables or
 * files named there, never from the file itself).
 */
public final class TagResolver {

    /** A resolved tag: the digest, and git_sha / runtime_version from the image labels when valid. */
    public record Image(String digest, Optional<String> gitSha, Optional<String> runtimeVersion) {
    }

    private final Registries registries;

    private TagResolver(Registries registries) {
        this.registries = registries;
    }

    /** Loads the registry config, or returns null after adding one problem line. */
    public static TagResolver load(Path file, Map<String, String> env, List<String> problems) {
        if (file == null) {
            problems.add("resolving a tag needs the registry: pass --registry-config FILE (a YAML file with a registries: section).");
            return null;
        }
        try {
            JsonNode doc = Yaml.read(file);
            ConfigNode root = new ConfigNode(doc, "");
            root.requireObject();
            root.allowOnly("registries");
            return new TagResolver(new Registries(RegistriesSection.parse(root, env::get, List.of(), List.of())));
        } catch (IOException e) {
            problems.add("registry config " + file + ": " + TargetOptions.firstLine(e.getMessage()));
        } catch (ConfigException e) {
            problems.add("registry config " + file + ": " + e.getMessage());
        }
        return null;
    }

    /**
     * Template → repository as every target lists it in {@code GET /cp/runtimes}; targets that
     * disagree on a repository (or cannot be read) are problems, since a tag must name one image.
     */
    public static Map<String, String> repositories(List<Target> targets, List<ApiResponse> runtimes, List<String> problems) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            ApiResponse r = runtimes.get(i);
            if (!r.ok()) {
                problems.add("target " + targets.get(i).name() + ": cannot read GET /cp/runtimes to find image repositories: " + r.describe());
                continue;
            }
            for (JsonNode t : r.json().path("runtimes")) {
                String name = t.path("name").asText();
                String image = t.path("image").asText();
                String before = out.putIfAbsent(name, image);
                if (before != null && !before.equals(image)) {
                    problems.add("template " + name + " has repository " + before + " on one target and " + image
                            + " on target " + targets.get(i).name() + "; a tag cannot name one image for both.");
                }
            }
        }
        return out;
    }

    /**
     * The image {@code repository:tag} (repository as the server lists it, host included), or a
     * problem line naming what went wrong.
     */
    public Optional<Image> resolve(String template, String repository, String tag, List<String> problems) {
        Optional<ImageLocation> where = registries.locate(repository);
        if (where.isEmpty()) {
            problems.add(template + ": no entry in --registry-config covers " + repository + ".");
            return Optional.empty();
        }
        try {
            Optional<ManifestRef> ref = where.get().client().headManifest(where.get().repository(), tag);
            if (ref.isEmpty()) {
                problems.add(template + ": the registry has no tag " + tag + " in " + where.get().display() + ".");
                return Optional.empty();
            }
            ImageLabels labels = where.get().client().labels(where.get().repository(), ref.get().digest());
            return Optional.of(new Image(ref.get().digest(), labels.revision().filter(Names::isGitSha),
                    labels.version().filter(Names::isRuntimeVersion)));
        } catch (RegistryException e) {
            problems.add(template + ": cannot resolve " + where.get().display() + ":" + tag + ": " + TargetOptions.firstLine(e.getMessage()));
            return Optional.empty();
        }
    }
}
