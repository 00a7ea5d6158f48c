package io.lockstep.config;

import io.lockstep.domain.Names;
import io.lockstep.domain.SemVerRange;
import io.lockstep.domain.TagPolicy;
import io.lockstep.domain.Template;
import io.lockstep.domain.Watch;
import io.lockstep.oci.RegistriesConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the {@code watches:} section into {@link Watch} values (the format is documented on {@link Watch}). */
public final class WatchesSection {
    private WatchesSection() {
    }

    public static List<Watch> parse(ConfigNode list, List<Template> templates) {
        List<Watch> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode w : list.list()) {
            Watch watch = parseOne(w, templates);
            if (!names.add(watch.name())) {
                throw new ConfigException(w.path(), "a second watch for " + watch.name() + "; one watch per group or template");
            }
            out.add(watch);
        }
        return out;
    }

    /**
     * Refuses to start when a watch covers a template no entry under {@code registries:} covers: its
     * discovery could never run. Checked against the templates in the store (config and API-made).
     */
    public static void requireCovered(List<Watch> watches, Collection<Template> templates, RegistriesConfig registries) {
        for (Watch w : watches) {
            for (Template t : w.members(templates)) {
                if (registries.prefixFor(t.repository()).isEmpty()) {
                    throw new ConfigException("watches", "watch " + w.name() + " covers " + t.name() + " in "
                            + t.repository() + ", which no entry under registries: covers");
                }
            }
        }
    }

    private static Watch parseOne(ConfigNode w, List<Template> templates) {
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
