package io.lockstep.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subscription in {@code watches:}: which templates (a lock-step group, or one template without
 * a group), how often to poll, and how tags become versions. Read from config by
 * {@code io.lockstep.config.WatchesSection}.
 *
 * <pre>
 * watches:
 *   - group: runtime
 *     interval: 5m
 *     policy: semver                 # semver | lexical | numerical | digest
 *     constraint: "&gt;=0.3.0 &lt;0.4.0"   # semver only
 *     allow_tags: '^v\d+\.\d+\.\d+$'  # regex searched in the tag
 *     ignore_tags: '-rc'
 *     extract: '^v(.+)$'             # one capture group: the version (runtime_version of the release)
 *   - template: solo
 *     policy: digest
 *     tag: main                      # digest only: the mutable tag to follow
 * </pre>
 */
public record Watch(String name, String group, String template, Duration interval, TagPolicy policy,
                    Optional<SemVerRange> constraint, Optional<String> tag, Optional<Pattern> allowTags,
                    Optional<Pattern> ignoreTags, Optional<Pattern> extract) {

    /** The version a tag stands for under this watch, or empty if the watch ignores the tag. */
    public Optional<String> versionOf(String tagName) {
        if (allowTags.isPresent() && !allowTags.get().matcher(tagName).find()) {
            return Optional.empty();
        }
        if (ignoreTags.isPresent() && ignoreTags.get().matcher(tagName).find()) {
            return Optional.empty();
        }
        String version = tagName;
        if (extract.isPresent()) {
            Matcher m = extract.get().matcher(tagName);
            if (!m.find() || m.group(1) == null || m.group(1).isEmpty()) {
                return Optional.empty();
            }
            version = m.group(1);
        }
        return policy.accepts(version, constraint) ? Optional.of(version) : Optional.empty();
    }

    /**
     * The newest of {@code tags} by this watch's policy, among those it accepts; ties between tags
     * naming the same version go to the later tag name, so the choice never depends on listing order.
     */
    public Optional<String> newestTag(java.util.Collection<String> tags) {
        java.util.Comparator<String> byVersion = java.util.Comparator
                .comparing((String t) -> versionOf(t).orElseThrow(), policy.order())
                .thenComparing(java.util.Comparator.naturalOrder());
        return tags.stream().filter(t -> versionOf(t).isPresent()).max(byVersion);
    }

    /**
     * True if {@code version} (of a registered release) is one this watch accepts and orders after
     * {@code than}: the watch then will not register the older {@code than}. A digest watch orders nothing.
     */
    public boolean isNewerVersion(String version, String than) {
        return policy != TagPolicy.DIGEST && policy.accepts(version, constraint) && policy.order().compare(version, than) > 0;
    }

    /** The templates this watch covers. */
    public List<Template> members(java.util.Collection<Template> templates) {
        return templates.stream().filter(t -> t.pinnable()
                && (group != null ? t.inGroup(group) : t.name().equals(template))).toList();
    }
}
