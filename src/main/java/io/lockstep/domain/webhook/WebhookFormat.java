package io.lockstep.domain.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The body a subscription's receiver gets: Lockstep's own event JSON, a CloudEvents 1.0 envelope, or a chat message. */
public enum WebhookFormat {
    LOCKSTEP("lockstep", "application/json"),
    CLOUDEVENTS("cloudevents", "application/cloudevents+json"),
    SLACK("slack", "application/json");

    private final String wire;
    private final String contentType;

    WebhookFormat(String wire, String contentType) {
        this.wire = wire;
        this.contentType = contentType;
    }

    public String wire() {
        return wire;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<WebhookFormat> fromWire(String s) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(s)).findFirst();
    }
}
