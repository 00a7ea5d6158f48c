package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.wire.JsonFields.text;

/** A template: repository, workload kinds, lock-step group, whether it can be pinned. */
public final class TemplateJson {
    private TemplateJson() {
    }

    public static Map<String, Object> write(Template t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("repository", t.repository());
        m.put("kinds", t.kinds());
        m.put("group", t.group());
        m.put("pinnable", t.pinnable());
        return m;
    }

    /** A template without {@code pinnable} is pinnable, as one created without the field is. */
    public static Template read(JsonNode t) {
        List<String> kinds = new ArrayList<>();
        t.path("kinds").forEach(k -> kinds.add(k.asText()));
        return new Template(text(t, "name"), text(t, "repository"), kinds, text(t, "group"),
                t.path("pinnable").asBoolean(true));
    }
}
