package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.lockstep.wire.JsonFields.text;

/** What one promote or rollback did to one pin, as the promote, release promote and rollback answers carry it. */
public final class PromoteResultJson {
    private PromoteResultJson() {
    }

    /**
     * @param result         {@code created}, {@code updated}, {@code unchanged} or {@code excluded}
     * @param previousDigest null when the pin was created
     * @param pin            null when the template was excluded
     * @param historySeq     null when nothing was recorded
     */
    public record PromoteResult(String result, String templateName, String previousDigest, Pin pin, Long historySeq) {
        /** The template comes from the pin, else from the history entry (an excluded template has no pin). */
        public static PromoteResult of(String result, Pin pin, String previousDigest, HistoryEntry entry) {
            String template = pin != null ? pin.key().template() : entry == null ? null : entry.key().template();
            return new PromoteResult(result, template, previousDigest, pin, entry == null ? null : entry.seq());
        }

        /** The digest the pin holds after this result; null when there is no pin. */
        public String digest() {
            return pin == null ? null : pin.digest();
        }
    }

    public static Map<String, Object> write(PromoteResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", r.result());
        m.put("template_name", r.templateName());
        m.put("previous_digest", r.previousDigest());
        m.put("pin", r.pin() == null ? null : PinJson.write(r.pin()));
        m.put("history_seq", r.historySeq());
        return m;
    }

    public static PromoteResult read(JsonNode o) {
        JsonNode pin = o.get("pin");
        JsonNode seq = o.get("history_seq");
        return new PromoteResult(text(o, "result"), text(o, "template_name"), text(o, "previous_digest"),
                pin == null || !pin.isObject() ? null : PinJson.read(pin),
                seq == null || !seq.isNumber() ? null : seq.asLong());
    }
}
