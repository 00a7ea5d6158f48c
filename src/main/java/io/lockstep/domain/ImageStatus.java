package io.lockstep.domain;

/**
 * What the pinned-image audit last learned about a pin's digest: the registry has it, the registry
 * answered that it does not ({@code gone}), or nothing is known (never audited since the pin moved,
 * no registry configured, or the registry could not be asked).
 */
public enum ImageStatus {
    PRESENT, GONE, UNKNOWN;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
