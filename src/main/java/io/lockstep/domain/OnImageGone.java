package io.lockstep.domain;

/**
 * What an environment's resolve does with a pin whose image the audit found gone ({@code on_image_gone}).
 * {@code refuse} stops provisioning on it (a new workload could not pull it anyway, and failing at
 * resolve names the cause); {@code warn} keeps answering, so a replica whose node still caches the
 * image keeps booting, and says so in a header and a metric. The default is {@code warn}: the audit
 * runs on an interval and a registry's 404 can be a lifecycle rule racing a re-push, and refusing
 * turns that into an outage of every restart (docs/configuration.md).
 */
public enum OnImageGone {
    REFUSE, WARN;

    public static OnImageGone fromWire(String s) {
        return switch (s) {
            case "refuse" -> REFUSE;
            case "warn" -> WARN;
            default -> null;
        };
    }
}
