package io.lockstep.config;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Template;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.oci.RegistriesConfig.HookSecret;
import io.lockstep.oci.RegistriesConfig.ProviderHook;
import io.lockstep.oci.SourceNetwork;
import io.lockstep.oci.RegistryAuth;
import io.lockstep.oci.RegistryConfig;
import io.lockstep.oci.RegistryCredentials;
import io.lockstep.oci.RegistryRetry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code registries:}, {@code audit:} and {@code hooks:} sections into a
 * {@link RegistriesConfig} (the format is documented there and in docs/registry.md).
 */
public final class RegistriesSection {
    private RegistriesSection() {
    }

    public static RegistriesConfig parse(ConfigNode root, UnaryOperator<String> env, List<Environment> environments,
                                         List<Template> templates) {
        ConfigNode section = root.get("registries").requireObject();
        Map<String, RegistryConfig> registries = new LinkedHashMap<>();
        if (section.isPresent()) {
            for (Iterator<String> it = section.raw().fieldNames(); it.hasNext(); ) {
                String prefix = it.next();
                registries.put(prefix, registry(prefix, section.get(prefix), env));
            }
        }

        ConfigNode audit = root.get("audit").requireObject();
        audit.allowOnly("interval", "mirror_retry_interval", "mirror_tags");
        Duration interval = audit.duration("interval", Duration.ofHours(1));
        Duration mirrorRetry = audit.duration("mirror_retry_interval", Duration.ofMinutes(1));
        if (mirrorRetry.isZero()) {
            throw new ConfigException("audit.mirror_retry_interval", "must be longer than zero");
        }
        String mirrorTags = audit.string("mirror_tags", "repair");
        if (!mirrorTags.equals("repair") && !mirrorTags.equals("flag")) {
            throw new ConfigException("audit.mirror_tags", "must be repair or flag");
        }

        ConfigNode hooks = root.get("hooks").requireObject();
        hooks.allowOnly("registry", "harbor", "dockerhub", "github", "quay", "gitlab");
        ConfigNode hook = hooks.get("registry").requireObject();
        hook.allowOnly("secret_env");
        Optional<HookSecret> secret = Optional.empty();
        if (hook.isPresent()) {
            String var = hook.requireString("secret_env");
            String value = env.apply(var);
            if (value == null || value.length() < 16) {
                throw new ConfigException("hooks.registry.secret_env", "environment variable " + var
                        + (value == null ? " is not set" : " must hold at least 16 characters"));
            }
            secret = Optional.of(new HookSecret(value, "environment variable " + var));
        }

        Map<String, ProviderHook> providerHooks = new LinkedHashMap<>();
        for (String provider : List.of("harbor", "github", "gitlab")) {
            ConfigNode p = hooks.get(provider).requireObject();
            p.allowOnly("secret_env");
            if (p.isPresent()) {
                providerHooks.put(provider, new ProviderHook(Optional.of(hookSecret(p, env)), List.of()));
            }
        }
        // Docker Hub and Quay can neither sign nor add a header: their senders are told apart by address.
        for (String provider : List.of("dockerhub", "quay")) {
            ConfigNode p = hooks.get(provider).requireObject();
            p.allowOnly("allow_from");
            if (p.isPresent()) {
                List<SourceNetwork> from = new java.util.ArrayList<>();
                for (ConfigNode item : p.get("allow_from").list()) {
                    try {
                        from.add(SourceNetwork.parse(item.raw().isTextual() ? item.raw().asText() : ""));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(item.path(), "must be an IP address or CIDR block (203.0.113.0/24)");
                    }
                }
                if (from.isEmpty()) {
                    throw new ConfigException(p.path() + ".allow_from", "is required: the networks " + provider
                            + " webhooks come from (it cannot sign them)");
                }
                providerHooks.put(provider, new ProviderHook(Optional.empty(), from));
            }
        }

        RegistriesConfig config = new RegistriesConfig(registries, interval, mirrorRetry, secret,
                mirrorTags.equals("repair"), providerHooks);
        for (int i = 0; i < environments.size(); i++) {
            Environment e = environments.get(i);
            if (!e.verifyImages() && e.mirrorTag() == null) {
                continue;
            }
            for (Template t : templates) {
                if (t.pinnable() && config.prefixFor(t.repository()).isEmpty()) {
                    throw new ConfigException("environments[" + i + "]." + (e.verifyImages() ? "verify_images" : "mirror_tag"),
                            "template " + t.name() + " lives in " + t.repository() + ", which no entry under registries: covers");
                }
            }
        }
        return config;
    }

    private static HookSecret hookSecret(ConfigNode hook, UnaryOperator<String> env) {
        String var = hook.requireString("secret_env");
        String value = env.apply(var);
        if (value == null || value.length() < 16) {
            throw new ConfigException(hook.path() + ".secret_env", "environment variable " + var
                    + (value == null ? " is not set" : " must hold at least 16 characters"));
        }
        return new HookSecret(value, "environment variable " + var);
    }

    private static RegistryConfig registry(String prefix, ConfigNode node, UnaryOperator<String> env) {
        node.requireObject();
        node.allowOnly("url", "auth", "username", "password_env", "password_file", "region", "ca_file", "insecure",
                "connect_timeout", "request_timeout", "retry", "rate_limit");
        String path = node.path();
        if (prefix.isBlank() || prefix.contains("://") || prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new ConfigException(path, "key must be a registry host[:port], optionally with a namespace (registry.example.com/team)");
        }
        String host = prefix.contains("/") ? prefix.substring(0, prefix.indexOf('/')) : prefix;
        try {
            RegistryConfig.Builder b = RegistryConfig.builder(URI.create(node.string("url", "https://" + host)));
            String auth = node.string("auth", "anonymous");
            String user = node.string("username", null);
            String passwordEnv = node.string("password_env", null);
            String passwordFile = node.string("password_file", null);
            if (passwordEnv != null && passwordFile != null) {
                throw new ConfigException(path, "give password_env or password_file, not both");
            }
            switch (auth) {
                case "anonymous" -> {
                    if (user != null || passwordEnv != null || passwordFile != null) {
                        throw new ConfigException(path + ".auth", "anonymous takes no username or password; use basic or bearer");
                    }
                    b.anonymous();
                }
                case "basic", "bearer" -> {
                    if (auth.equals("bearer") && user == null && passwordEnv == null && passwordFile == null) {
                        b.auth(RegistryAuth.anonymousBearer());
                    } else {
                        if (user == null || (passwordEnv == null && passwordFile == null)) {
                            throw new ConfigException(path, auth + " auth needs username and password_env or password_file");
                        }
                        RegistryCredentials c = passwordEnv != null ? RegistryCredentials.fromEnv(user, passwordEnv, env)
                                : RegistryCredentials.fromFile(user, Path.of(passwordFile));
                        b.auth(auth.equals("basic") ? RegistryAuth.basic(c) : RegistryAuth.bearer(c));
                    }
                }
                case "ecr" -> {
                    if (user != null || passwordEnv != null || passwordFile != null) {
                        throw new ConfigException(path + ".auth", "ecr takes credentials from the AWS SDK chain, not username/password");
                    }
                    String region = node.string("region", null);
                    if (region != null) {
                        b.ecr(region);
                    } else {
                        b.ecr();
                    }
                }
                default -> throw new ConfigException(path + ".auth", "must be anonymous, basic, bearer or ecr");
            }
            String ca = node.string("ca_file", null);
            if (ca != null) {
                b.caFile(Path.of(ca));
            }
            b.insecure(node.bool("insecure", false));
            b.connectTimeout(node.duration("connect_timeout", Duration.ofSeconds(5)));
            b.requestTimeout(node.duration("request_timeout", Duration.ofSeconds(30)));
            ConfigNode retry = node.get("retry").requireObject();
            retry.allowOnly("max_attempts", "initial_backoff", "max_backoff", "max_retry_after");
            RegistryRetry d = RegistryRetry.DEFAULT;
            b.retry(new RegistryRetry(retry.integer("max_attempts", d.maxAttempts(), 1, 20),
                    retry.duration("initial_backoff", d.initialBackoff()), retry.duration("max_backoff", d.maxBackoff()),
                    retry.duration("max_retry_after", d.maxRetryAfter())));
            ConfigNode rate = node.get("rate_limit").requireObject();
            rate.allowOnly("requests_per_second", "burst");
            b.rateLimit(rate.decimal("requests_per_second", 10, 0, 10_000), rate.integer("burst", 20, 1, 10_000));
            return b.build();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // The client's own validation (insecure on a network host, url with a path, missing
            // password variable, ...); its messages never contain a secret.
            throw new ConfigException(path, e.getMessage());
        }
    }
}
