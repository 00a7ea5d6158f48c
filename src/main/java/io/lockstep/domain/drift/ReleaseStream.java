package io.lockstep.domain.drift;

import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseOrder;
import io.lockstep.domain.Template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered releases of one lock-step group, oldest first. A template without a group is its
 * own stream: its releases carry the template's name as their group.
 *
 * <p>Questions are always asked per template, because a release may leave a member out (with a
 * recorded reason): a release without an image for a template is not something that template can
 * be promoted to, so it neither makes the template behind nor counts in {@code releasesBehind}.
 */
final class ReleaseStream {
    private static final ReleaseStream EMPTY = new ReleaseStream(List.of());

    private final List<Release> oldestFirst;

    private ReleaseStream(List<Release> oldestFirst) {
        this.oldestFirst = oldestFirst;
    }

    static String groupOf(Template template) {
        return template.group() != null ? template.group() : template.name();
    }

    static Map<String, ReleaseStream> byGroup(List<Release> releases) {
        Map<String, List<Release>> grouped = new HashMap<>();
        for (Release r : releases) {
            grouped.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
        }
        Map<String, ReleaseStream> out = new HashMap<>();
        grouped.forEach((group, list) -> {
            list.sort(ReleaseOrder.OLDEST_FIRST); // "newest" is the domain's one release order
            out.put(group, new ReleaseStream(List.copyOf(list)));
        });
        return out;
    }

    static ReleaseStream empty() {
        return EMPTY;
    }

    static boolean isNewer(Release candidate, Release than) {
        return ReleaseOrder.isNewer(candidate, than);
    }

    /** The newest release with an image for {@code template}, or null. */
    Release newestFor(String template) {
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            if (oldestFirst.get(i).images().containsKey(template)) {
                return oldestFirst.get(i);
            }
        }
        return null;
    }

    /**
     * The newest release whose image for {@code template} is {@code digest}, or null. Newest,
     * because when several releases share a digest the pin is as current as the latest of them.
     */
    Release releaseOf(String template, String digest) {
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            if (oldestFirst.get(i).contains(template, digest)) {
                return oldestFirst.get(i);
            }
        }
        return null;
    }

    /** Releases newer than {@code release} that have an image for {@code template}, oldest first. */
    List<Release> newerThan(Release release, String template) {
        List<Release> out = new ArrayList<>();
        for (Release r : oldestFirst) {
            if (isNewer(r, release) && r.images().containsKey(template)) {
                out.add(r);
            }
        }
        return out;
    }
}
