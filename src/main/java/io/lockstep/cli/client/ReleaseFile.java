package io.lockstep.cli.client;

import io.lockstep.config.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Names;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A release file (YAML or JSON, the same shape as {@code POST /api/v1/releases}):
 * <pre>
 * group: runtime
 * runtime_version: v0.3.43
 * git_sha: 19f3175…            # optional, 7-40 hex
 * images: {claude-code: sha256:…, platform-agent: sha256:…}
 * exclude: {openclaw: "reason"}   # optional
 * </pre>
 * {@link #read} checks everything that can be checked without a server and reports every problem
 * at once, one line each, so CI shows the whole list in one run.
 */
public record ReleaseFile(String group, String runtimeVersion, String gitSha, Map<String, String> images,
                          Map<String, String> exclude) {
    private static final Set<String> KEYS = Set.of("group", "runtime_version", "git_sha", "images", "exclude");

    /** The release id on the server: {@code <group>@<runtime_version>}. */
    public String id() {
        return group + "@" + runtimeVersion;
    }

    /** The body of {@code POST /api/v1/releases}. */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", group);
        m.put("runtime_version", runtimeVersion);
        if (gitSha != null) {
            m.put("git_sha", gitSha);
        }
        m.put("images", images);
        m.put("exclude", exclude);
        return m;
    }

    /** The parsed file, or null when {@code problems} received at least one line. */
    public static ReleaseFile read(Path file, List<String> problems) {
        JsonNode doc = readTree(file, problems);
        return doc == null ? null : parse(doc, "release file " + file, problems);
    }

    /** The file's YAML/JSON document, or null (with a problem line) when it cannot be read. */
    public static JsonNode readTree(Path file, List<String> problems) {
        try {
            return Yaml.read(file);
        } catch (IOException e) {
            problems.add("release file " + file + ": " + TargetOptions.firstLine(e.getMessage()));
            return null;
        }
    }

    /** As {@link #read}, from a document already read (e.g. after {@link ReleaseTags} resolved its tags). */
    public static ReleaseFile parse(JsonNode doc, String where, List<String> problems) {
        if (doc == null || !doc.isObject()) {
            problems.add(where + ": must be a mapping with group, runtime_version and images.");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(where + ": unknown key " + Names.quoteForError(key) + " (allowed: group, runtime_version, git_sha, images, exclude).");
            }
        }
        String group = text(doc, "group");
        if (group == null || !Names.isValid(group)) {
            problems.add(where + ": group is " + (group == null ? "missing" : "not a valid name: " + Names.quoteForError(group)) + ".");
        }
        String version = text(doc, "runtime_version");
        if (!Names.isRuntimeVersion(version)) {
            problems.add(where + ": runtime_version is " + (version == null ? "missing" : "not valid: " + Names.quoteForError(version)) + ".");
        }
        String sha = text(doc, "git_sha");
        if (sha != null && !Names.isGitSha(sha)) {
            problems.add(where + ": git_sha must be 7 to 40 lower-case hex characters; got " + Names.quoteForError(sha) + ".");
        }
        Map<String, String> images = map(doc, "images", where, problems);
        Map<String, String> exclude = map(doc, "exclude", where, problems);
        JsonNode imagesNode = doc.path("images");
        if (images.isEmpty() && (imagesNode.isObject() || imagesNode.isMissingNode() || imagesNode.isNull())) {
            problems.add(where + ": images must name at least one template and its digest.");
        }
        images.forEach((template, digest) -> {
            if (!Names.isValid(template)) {
                problems.add(where + ": images key " + Names.quoteForError(template) + " is not a valid template name.");
            }
            if (digest.isEmpty()) {
                problems.add(where + ": images." + template + " is empty; the build did not produce a digest for " + template + ".");
            } else if (!Digest.isValid(digest)) {
                problems.add(where + ": images." + template + " must be sha256: followed by 64 lower-case hex characters; got "
                        + Names.quoteForError(digest) + ".");
            }
        });
        exclude.forEach((template, reason) -> {
            if (reason.isBlank()) {
                problems.add(where + ": exclude." + template + " needs a reason.");
            }
            if (images.containsKey(template)) {
                problems.add(where + ": " + template + " is both in images and in exclude.");
            }
        });
        return problems.size() == before ? new ReleaseFile(group, version, sha, images, exclude) : null;
    }

    /**
     * The members of {@code group} in a server's {@code /cp/runtimes} answer that this release neither
     * images nor excludes, and the images that are not members: the same rule the server applies.
     */
    public List<String> completenessProblems(String target, JsonNode runtimes) {
        List<String> problems = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (JsonNode r : runtimes.path("runtimes")) {
            if (group.equals(r.path("group").asText(null)) && r.path("pinnable").asBoolean(true)) {
                members.add(r.path("name").asText());
            }
        }
        if (members.isEmpty()) {
            problems.add("target " + target + ": no template belongs to lock-step group " + group + ".");
            return problems;
        }
        for (String m : members) {
            if (!images.containsKey(m) && !exclude.containsKey(m)) {
                problems.add("target " + target + ": release " + id() + " leaves out " + m
                        + " (a member of group " + group + "): add it to images, or to exclude with a reason.");
            }
        }
        for (String t : images.keySet()) {
            if (!members.contains(t)) {
                problems.add("target " + target + ": " + t + " is not a member of group " + group + ".");
            }
        }
        return problems;
    }

    private static String text(JsonNode doc, String key) {
        JsonNode n = doc.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Map<String, String> map(JsonNode doc, String key, String where, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode n = doc.get(key);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            problems.add(where + ": " + key + " must be a mapping of template to " + (key.equals("images") ? "digest." : "reason."));
            return out;
        }
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }
}
