package io.lockstep.registry.watch;

import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigNode;
import io.lockstep.domain.Names;
import io.lockstep.domain.Template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One subscription in {@code watches:}: which templates (a lock-step group, or one template without
 * a group), how often to poll, and how tags become versions.
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

    /** The templates this watch covers. */
    public List<Template> members(java.util.Collection<Template> templates) {
        return templates.stream().filter(t -> t.pinnable()
                && (group != null ? t.inGroup(group) : t.name().equals(template))).toList();
    }

    public static List<Watch> parseAll(ConfigNode list, List<Template> templates) {
        List<Watch> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode w : list.list()) {
            Watch watch = parse(w, templates);
            if (!names.add(watch.name())) {
                throw new ConfigException(w.path(), "a second watch for " + watch.name() + "; one watch per group or template");
            }
            out.add(watch);
        }
        return out;
    }

    private static Watch parse(ConfigNode w, List<Template> templates) {
        w.requireObject();
        w.allowOnly("group", "template", "interval", "policy", "constraint", "tag", "allow_tags", "ignore_tags", "extract");
        String group = w.string("group", null);
        String template = w.string("template", null);
        if ((group == null) == (template == null)) {
            throw new ConfigException(w.path(), "give exactly one of group or template");
        }
        if (group != null && templates.stream().noneMatch(t -> t.pinnable() && t.inGroup(group))) {
            throw new ConfigException(w.path() + ".group", "no pinnable template belongs to group " + Names.quoteForError(group));
        }
        if (template != null) {
            Template t = templates.stream().filter(x -> x.name().equals(template)).findFirst().orElseThrow(() ->
                    new ConfigException(w.path() + ".template", "names no configured template: " + Names.quoteForError(template)));
            if (t.group() != null) {
                throw new ConfigException(w.path() + ".template", template + " belongs to group " + t.group()
                        + ", which is promoted together: watch the group instead");
            }
        }
        Duration interval = w.duration("interval", Duration.ofMinutes(5));
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(w.path() + ".interval", "must be at least 1s");
        }
        TagPolicy policy;
        try {
            policy = TagPolicy.parse(w.string("policy", "semver"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(w.path() + ".policy", e.getMessage());
        }
        Optional<SemVerRange> constraint = Optional.empty();
        String constraintText = w.string("constraint", null);
        if (constraintText != null) {
            if (policy != TagPolicy.SEMVER) {
                throw new ConfigException(w.path() + ".constraint", "only applies to policy semver");
            }
            try {
                constraint = Optional.of(SemVerRange.parse(constraintText));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(w.path() + ".constraint", e.getMessage());
            }
        }
        Optional<String> tag = Optional.ofNullable(w.string("tag", null));
        if (policy == TagPolicy.DIGEST && tag.isEmpty()) {
            throw new ConfigException(w.path() + ".tag", "policy digest follows one tag: name it (e.g. tag: main)");
        }
        if (policy != TagPolicy.DIGEST && tag.isPresent()) {
            throw new ConfigException(w.path() + ".tag", "only applies to policy digest");
        }
        if (tag.isPresent() && !tag.get().matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")) {
            throw new ConfigException(w.path() + ".tag", "must be a valid image tag");
        }
        Optional<Pattern> extract = regex(w, "extract");
        if (extract.isPresent() && extract.get().matcher("").groupCount() != 1) {
            throw new ConfigException(w.path() + ".extract", "needs exactly one capture group (the version), e.g. ^v(.+)$");
        }
        if (policy == TagPolicy.DIGEST && (extract.isPresent() || w.get("allow_tags").isPresent() || w.get("ignore_tags").isPresent())) {
            throw new ConfigException(w.path(), "policy digest follows one named tag; allow_tags, ignore_tags and extract do not apply");
        }
        return new Watch(group != null ? group : template, group, template, interval, policy, constraint, tag,
                regex(w, "allow_tags"), regex(w, "ignore_tags"), extract);
    }

    private static Optional<Pattern> regex(ConfigNode w, String key) {
        String text = w.string(key, null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(text));
        } catch (PatternSyntaxException e) {
            throw new ConfigException(w.path() + "." + key, "is not a valid regular expression: " + e.getDescription());
        }
    }
}
