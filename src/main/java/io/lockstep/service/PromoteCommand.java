package io.lockstep.service;

import java.util.Map;

/** A request to move one pin, as received from any adapter; validated by {@link PinService}. */
public record PromoteCommand(String environment, String template, String region, String digest, String gitSha,
                             String runtimeVersion, String notes, String expectedDigest,
                             Map<String, String> provenance) {
}
