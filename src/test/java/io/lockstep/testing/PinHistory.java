package io.lockstep.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a pin's complete history through the HTTP API, following every page. */
public final class PinHistory {
    private PinHistory() {
    }

    /** Every history entry of the pin {@code env}/{@code template}/global, oldest first. */
    public static List<JsonNode> oldestFirst(Http http, String env, String template) {
        List<JsonNode> newestFirst = new ArrayList<>();
        String before = "";
        while (true) {
            Http.Response page = http.get("/api/v1/environments/" + env + "/pins/" + template + "/history?limit=500"
                    + before, TestConfig.READER);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().path("entries").forEach(newestFirst::add);
            JsonNode next = page.json().path("next_before");
            if (next.isNull() || next.isMissingNode()) {
                break;
            }
            before = "&before=" + next.asLong();
        }
        List<JsonNode> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** The pin's current digest, or null when it has no pin. */
    public static String currentDigest(Http http, String env, String template) {
        Http.Response pin = http.get("/api/v1/environments/" + env + "/pins/" + template, TestConfig.READER);
        if (pin.status() == 404) {
            return null;
        }
        assertThat(pin.status()).as(pin.body()).isEqualTo(200);
        return pin.json().path("image_digest").asText();
    }

    /** Asserts {@code /api/v1/history/verify} reports an intact chain of exactly {@code entries} entries. */
    public static void assertChainValid(Http http, int entries) {
        Http.Response verify = http.get("/api/v1/history/verify", TestConfig.READER);
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.json().path("valid").asBoolean()).as(verify.body()).isTrue();
        assertThat(verify.json().path("entries").asInt()).as(verify.body()).isEqualTo(entries);
    }
}
