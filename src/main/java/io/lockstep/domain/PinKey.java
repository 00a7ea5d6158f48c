package io.lockstep.domain;

/** The identity of a pin: (environment, template, region). */
public record PinKey(String environment, String template, String region) {
    public PinKey {
        region = region == null || region.isEmpty() ? Names.DEFAULT_REGION : region;
    }

    @Override
    public String toString() {
        return environment + "/" + template + "/" + region;
    }
}
