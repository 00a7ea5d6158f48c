package io.lockstep.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its own path (e.g. {@code templates[2].repository}), so every config error
 * can name exactly the key that is wrong. Unknown keys are errors: a typo must not be silently ignored.
 */
public final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

    private final JsonNode node;
    private final String path;

    public ConfigNode(JsonNode node, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
    }

    public String path() {
        return path;
    }

    public boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    public JsonNode raw() {
        return node;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public ConfigNode get(String key) {
        return new ConfigNode(node.get(key), child(key));
    }

    public ConfigNode requireObject() {
        if (isPresent() && !node.isObject()) {
            throw new ConfigException(path, "must be a mapping");
        }
        return this;
    }

    public void allowOnly(String... keys) {
        if (!isPresent()) {
            return;
        }
        requireObject();
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new ConfigException(child(k), "unknown key (allowed here: " + String.join(", ", keys) + ")");
            }
        }
    }

    public List<ConfigNode> list() {
        List<ConfigNode> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(path, "must be a list");
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    public String string(String key, String fallback) {
        ConfigNode c = get(key);
        if (!c.isPresent()) {
            return fallback;
        }
        if (!c.node.isTextual() && !c.node.isNumber() && !c.node.isBoolean()) {
            throw new ConfigException(c.path, "must be a string");
        }
        return c.node.asText();
    }

    public String requireString(String key) {
        String v = string(key, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException(child(key), "is required");
        }
        return v;
    }

    public boolean bool(String key, boolean fallback) {
        ConfigNode c = get(key);
        if (!c.isPresent()) {
            return fallback;
        }
        if (!c.node.isBoolean()) {
            throw new ConfigException(c.path, "must be true or false");
        }
        return c.node.asBoolean();
    }

    public int integer(String key, int fallback, int min, int max) {
        ConfigNode c = get(key);
        if (!c.isPresent()) {
            return fallback;
        }
        if (!c.node.canConvertToInt() || !c.node.isIntegralNumber()) {
            throw new ConfigException(c.path, "must be a whole number");
        }
        int v = c.node.asInt();
        if (v < min || v > max) {
            throw new ConfigException(c.path, "must be between " + min + " and " + max);
        }
        return v;
    }

    public double decimal(String key, double fallback, double min, double max) {
        ConfigNode c = get(key);
        if (!c.isPresent()) {
            return fallback;
        }
        if (!c.node.isNumber()) {
            throw new ConfigException(c.path, "must be a number");
        }
        double v = c.node.asDouble();
        if (v < min || v > max) {
            throw new ConfigException(c.path, "must be between " + min + " and " + max);
        }
        return v;
    }

    public Duration duration(String key, Duration fallback) {
        ConfigNode c = get(key);
        if (!c.isPresent()) {
            return fallback;
        }
        return parseDuration(c.path, c.node.asText());
    }

    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : get(key).list()) {
            if (!item.node.isTextual()) {
                throw new ConfigException(item.path, "must be a string");
            }
            out.add(item.node.asText());
        }
        return out;
    }

    /** Durations are written like {@code 30s}, {@code 10m}, {@code 12h}, {@code 7d}. */
    public static Duration parseDuration(String path, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException(path, "must be a duration like 30s, 10m, 12h or 7d; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
