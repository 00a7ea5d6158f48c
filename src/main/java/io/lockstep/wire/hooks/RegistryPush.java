package io.lockstep.wire.hooks;

/**
 * One push a registry told us about, whatever its webhook format: the repository path inside the
 * registry ({@code molecule/hermes}, no host), the tag it made visible ({@code null} for a push by
 * digest) and the manifest digest where the payload carries one ({@code null} otherwise, e.g. Docker
 * Hub). Only a hint: discovery reads the registry itself, so nothing here is trusted as a fact.
 */
public record RegistryPush(String repository, String tag, String digest) {
}
