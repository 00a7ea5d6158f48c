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
 * hooks:   {registry: {secret_env: LOCKSTEP_REGISTRY_HOOK_SECRET}, github: {secret_env: …},
 *          dockerhub: {allow_from: [203.0.113.0/24]}}
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
 * @param providerHooks       the provider-specific webhooks ({@code hooks.harbor}, {@code dockerhub},
 *                            {@code github}, {@code quay}, {@code gitlab}) that are enabled, by provider
 */
public record RegistriesConfig(Map<String, RegistryConfig> registries, Duration auditInterval,
                               Duration mirrorRetryInterval, Optional<HookSecret> hookSecret, boolean repairMirrorTags,
                               Map<String, ProviderHook> providerHooks) {

    public RegistriesConfig {
        registries = Map.copyOf(registries);
        providerHooks = Map.copyOf(providerHooks);
    }

    public RegistriesConfig(Map<String, RegistryConfig> registries, Duration auditInterval,
                            Duration mirrorRetryInterval, Optional<HookSecret> hookSecret, boolean repairMirrorTags) {
        this(registries, auditInterval, mirrorRetryInterval, hookSecret, repairMirrorTags, Map.of());
    }

    /**
     * How one provider's webhook proves it came from that provider: a secret (Harbor, GitHub,
     * GitLab) or, for a provider that can neither sign nor add a header (Docker Hub, Quay), the
     * networks it may come from.
     */
    public record ProviderHook(Optional<HookSecret> secret, java.util.List<SourceNetwork> allowFrom) {
        public ProviderHook {
            allowFrom = java.util.List.copyOf(allowFrom);
        }
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

        /** HMAC-SHA256 of {@code body} keyed with the secret (GitHub's {@code X-Hub-Signature-256}), lower-case hex. */
        public String hmacSha256Hex(byte[] body) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(value, "HmacSHA256"));
                return java.util.HexFormat.of().formatHex(mac.doFinal(body));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
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
