package io.lockstep.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A template left out of a publish job must not silently keep a stale pin. A
 * release must name every pinnable member of its group, either with a digest or with a reason.
 */
public final class ReleaseCompleteness {
    private ReleaseCompleteness() {
    }

    /** Throws {@code 422 INCOMPLETE_RELEASE} naming each missing member; also rejects strangers. */
    public static void check(String group, Map<String, String> images, Map<String, String> exclude,
                             Collection<Template> templates) {
        List<String> missing = missing(group, images, exclude, templates);
        List<String> strangers = new ArrayList<>();
        for (String name : images.keySet()) {
            boolean member = templates.stream().anyMatch(t -> t.name().equals(name) && t.inGroup(group));
            if (!member) {
                strangers.add(name);
            }
        }
        if (!strangers.isEmpty()) {
            throw new LockstepException(Problem.UNKNOWN_TEMPLATE_REFERENCED,
                    "Release for group " + group + " names templates that are not members of the group: "
                            + String.join(", ", strangers) + ".", Map.of("templates", strangers));
        }
        if (!missing.isEmpty()) {
            throw new LockstepException(Problem.INCOMPLETE_RELEASE,
                    "Release for group " + group + " leaves out " + String.join(", ", missing)
                            + ": add each to images, or to exclude with a reason.", Map.of("missing", missing));
        }
        for (Map.Entry<String, String> e : exclude.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new LockstepException(Problem.INVALID_RELEASE, "exclude." + e.getKey() + " needs a reason.");
            }
            if (images.containsKey(e.getKey())) {
                throw new LockstepException(Problem.INVALID_RELEASE, e.getKey() + " is both in images and in exclude.");
            }
        }
    }

    /**
     * The pinnable members of {@code group} that a release neither pins nor excludes, sorted. Asked
     * again when a release is promoted: a template that joined the group after the release was
     * registered would otherwise silently keep its old pin while its family moves.
     */
    public static List<String> missing(String group, Map<String, String> images, Map<String, String> exclude,
                                       Collection<Template> templates) {
        List<String> missing = new ArrayList<>();
        for (Template t : templates) {
            if (t.pinnable() && t.inGroup(group) && !images.containsKey(t.name()) && !exclude.containsKey(t.name())) {
                missing.add(t.name());
            }
        }
        missing.sort(null);
        return missing;
    }
}
