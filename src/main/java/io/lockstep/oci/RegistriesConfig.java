package io.lockstep.oci;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The registries one server (or the CLI) talks to, by prefix, with the audit and webhook settings
 * that go with them; read from the {@code registries:}, {@code audit:} and {@code hooks:} config
 * sections by {@code io.lockstep.config.RegistriesSection}.
 *
 * <pre>
 * registries:
 *   registry.example.com:                  # matched against the start of template repositories
 *     url: https://registry.example.com    # default https://&lt;host of the key&gt;
 *     auth: basic                           # anonymous | basic | bearer | ecr
 *     username: lockstep-bot
 *     password_env: REGISTRY_PASSWORD       # or password_file: /run/secrets/registry
 * audit:   {interval: 1h, mirror_retry_interval: 1m, mirror_tags: repair}
 * hooks:   {registry: {secret_env: LOCKSTEP_REGISTRY_HOOK_SECRET}}
 * </pre>
 *
 * Credentials are resolved while parsing, so a missing variable or file stops startup naming it.
 *
 * @param registries          by prefix ({@code host[:port]} or {@code host/namespace}); longest prefix wins
 * @param auditInterval       how often every pinned digest is checked; zero disables the audit
 * @param mirrorRetryInterval how often failed tag mirrors are retried
 * @param hookSecret          shared secret registry webhooks must present; empty disables the hook endpoint
 * @param repairMirrorTags    whether the audit re-points a mirror tag found away from the pinned digest
 *                            ({@code mirror_tags: repair}) or only flags it ({@code flag})
 */
public record RegistriesConfig(Map<String, RegistryConfig> registries, Duration auditInterval,
                               Duration mirrorRetryInterval, Optional<HookSecret> hookSecret, boolean repairMirrorTags) {

    public RegistriesConfig {
        registries = Map.copyOf(registries);
    }

    public RegistriesConfig(Map<String, RegistryConfig> registries, Duration auditInterval,
                            Duration mirrorRetryInterval, Optional<HookSecret> hookSecret) {
        this(registries, auditInterval, mirrorRetryInterval, hookSecret, true);
    }

    public static RegistriesConfig none() {
        return new RegistriesConfig(Map.of(), Duration.ZERO, Duration.ofMinutes(1), Optional.empty());
    }

    /** The webhook secret; {@link #toString()} never shows it. */
    public static final class HookSecret {
        private final byte[] value;
        private final String source;

        public HookSecret(String value, String source) {
            this.value = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.source = source;
        }

        /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
        public boolean matches(String presented) {
            return presented != null && java.security.MessageDigest.isEqual(value,
                    presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "HookSecret[<redacted, from " + source + ">]";
        }
    }

    /** The configured prefix covering {@code repository} (longest match on whole path segments). */
    public Optional<String> prefixFor(String repository) {
        String best = null;
        for (String prefix : registries.keySet()) {
            if (repository.startsWith(prefix + "/") && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return Optional.ofNullable(best);
    }
}
