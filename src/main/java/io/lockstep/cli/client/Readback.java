package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Pin;
import io.lockstep.wire.PinJson;

import java.util.HashMap;
import java.util.Map;

/**
 * A 200 is not proof that a pin moved (a green build once hid a refused promote). After a write
 * the CLI reads the environment's pins back and compares every digest it wrote with what the
 * server now holds.
 */
public final class Readback {
    private Readback() {
    }

    /** The pins as the server now has them, or the failed response. */
    public record Pins(Map<String, String> digests, ApiResponse failure) {
        /** The digest now pinned for {@code template} in the region read, or null when there is no pin. */
        public String actual(String template) {
            return digests.get(template);
        }
    }

    public static Pins read(LockstepClient client, String region) {
        ApiResponse r = client.get(client.environmentPath("/pins"));
        if (!r.ok()) {
            return new Pins(Map.of(), r);
        }
        return new Pins(digests(r.json(), region), null);
    }

    /** template → digest for one region of a {@code {"pins":[…]}} answer. */
    public static Map<String, String> digests(JsonNode pinsAnswer, String region) {
        String wanted = region == null || region.isEmpty() ? "global" : region;
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : pinsAnswer.path("pins")) {
            Pin p = PinJson.read(n);
            if (wanted.equals(p.key().region())) {
                out.put(p.key().template(), p.digest());
            }
        }
        return out;
    }

    /**
     * The row for a write of {@code expected} that got no answer ({@code write.maybeDelivered()}):
     * {@code applied} when the pins now hold it, otherwise OUTCOME UNKNOWN, never FAILED: the
     * server may still commit a write whose answer was lost.
     */
    public static ResultRow afterNoAnswer(String target, String template, String expected, ApiResponse write, Pins pins) {
        String lost = "the request got " + write.describe();
        if (pins.failure() != null) {
            return new ResultRow(target, template, null, expected, ResultRow.OUTCOME_UNKNOWN, false, lost
                    + " and reading the pins back failed (" + pins.failure().describe() + "); check with lockstep pins or"
                    + " history before retrying.");
        }
        String actual = pins.actual(template);
        if (expected != null && expected.equals(actual)) {
            return new ResultRow(target, template, null, expected, "applied", true, lost
                    + "; the read-back shows the pin at the new digest.");
        }
        return new ResultRow(target, template, actual, expected, ResultRow.OUTCOME_UNKNOWN, false, lost
                + "; the pin is " + (actual == null ? "absent" : "still at " + actual) + ", but the server may yet apply"
                + " the write: check with lockstep pins or history before retrying.");
    }

    /** The row for a write of {@code expected} to {@code template}: its status, or PIN MISMATCH. */
    public static ResultRow verify(String target, String template, String from, String expected, String status,
                                   Pins pins) {
        if (pins.failure() != null) {
            return new ResultRow(target, template, from, expected, "UNVERIFIED", false,
                    "the write was accepted but reading the pins back failed: " + pins.failure().describe());
        }
        String actual = pins.actual(template);
        if (!expected.equals(actual)) {
            return new ResultRow(target, template, from, expected, "PIN MISMATCH", false,
                    "PIN MISMATCH " + target + " " + template + " expected " + expected + " actual "
                            + (actual == null ? "(no pin)" : actual));
        }
        return new ResultRow(target, template, from, expected, status, true, null);
    }
}
