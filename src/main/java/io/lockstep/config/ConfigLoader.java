package io.lockstep.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.Environment;
import io.lockstep.domain.ExpectedInstances;
import io.lockstep.domain.OnImageGone;
import io.lockstep.domain.FleetSettings;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.Template;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.domain.Watch;
import io.lockstep.service.TemplateService;
import io.lockstep.store.DatabaseSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML config and applies environment-variable overrides ({@code LOCKSTEP_PORT},
 * {@code LOCKSTEP_DATABASE_URL}, …). Secrets are never read from the file: tokens give a SHA-256
 * of the secret or the name of a variable holding it, and the database password comes from
 * {@code LOCKSTEP_DATABASE_PASSWORD} or a variable named in the file.
 */
public final class ConfigLoader {
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

    private ConfigLoader() {
    }

    public static LockstepConfig load(Path file, Map<String, String> env) {
        JsonNode doc;
        try {
            doc = file == null ? Yaml.emptyDocument() : Yaml.read(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("--config", "file not found: " + file);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new ConfigException(String.valueOf(file), "is not valid YAML: " + msg);
        }
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
            doc = Yaml.emptyDocument();
        }
        return parse(new ConfigNode(doc, ""), env);
    }

    public static LockstepConfig parse(ConfigNode root, Map<String, String> env) {
        root.requireObject();
        root.allowOnly("server", "database", "environments", "templates", "tokens", "drift", "fleet",
                "registries", "watches", "audit", "hooks", "oidc", "events", "dashboard");
        EventStreamSection.parse(root); // refused at load, like every other key; the server reads it again
        DashboardSection.parse(root); // likewise

        ConfigNode server = root.get("server").requireObject();
        server.allowOnly("host", "port", "default_environment");
        String host = env.getOrDefault("LOCKSTEP_HOST", server.string("host", "127.0.0.1"));
        int port = server.integer("port", 8080, 0, 65535);
        if (env.containsKey("LOCKSTEP_PORT")) {
            try {
                port = Integer.parseInt(env.get("LOCKSTEP_PORT"));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException("LOCKSTEP_PORT", "must be a port number between 0 and 65535");
            }
        }

        Map<String, RemoteUpstream> remoteUpstreams = new LinkedHashMap<>();
        Map<String, String> upstreamTokenValues = new LinkedHashMap<>();
        List<Environment> environments = environments(root.get("environments"), remoteUpstreams, upstreamTokenValues, env);
        UpstreamTokens upstreamTokens = new UpstreamTokens(upstreamTokenValues);
        String defaultEnv = env.getOrDefault("LOCKSTEP_DEFAULT_ENVIRONMENT",
                server.string("default_environment", environments.get(0).name()));
        if (environments.stream().noneMatch(e -> e.name().equals(defaultEnv))) {
            throw new ConfigException("server.default_environment", "names no configured environment: " + defaultEnv);
        }

        DatabaseSettings db = database(root.get("database"), env);
        List<Template> templates = templates(root.get("templates"));
        List<ApiToken> tokens = tokens(root.get("tokens"), env, environments);

        ConfigNode drift = root.get("drift").requireObject();
        drift.allowOnly("grace_period");
        Duration grace = drift.duration("grace_period", Duration.ofMinutes(30));
        ConfigNode fleet = root.get("fleet").requireObject();
        fleet.allowOnly("instance_ttl", "max_clock_skew", "max_batch_size", "retention", "instance_memory",
                "expected_instances");
        FleetSettings fleetSettings = fleet(fleet, environments);
        ObservedEventsSection.parse(root.get("events")); // read again by the server from root; refused here

        RegistriesConfig registries = RegistriesSection.parse(root, env::get, environments, templates);
        List<Watch> watches = WatchesSection.parse(root.get("watches"), templates);
        return new LockstepConfig(host, port, defaultEnv, db, environments, templates, tokens, grace, fleetSettings, root,
                registries, watches, OidcConfig.parse(root.get("oidc"), environments), remoteUpstreams, upstreamTokens,
                EventsSection.parse(root.get("events"), env, environments));
    }

    private static FleetSettings fleet(ConfigNode fleet, List<Environment> environments) {
        FleetSettings defaults = FleetSettings.defaults();
        Duration ttl = fleet.duration("instance_ttl", defaults.instanceTtl());
        Duration skew = fleet.duration("max_clock_skew", defaults.maxClockSkew());
        int batch = fleet.integer("max_batch_size", defaults.maxBatchSize(), 1, 50_000);
        Duration retention = fleet.duration("retention", defaults.retention());
        if (ttl.isZero() || ttl.isNegative()) {
            throw new ConfigException("fleet.instance_ttl", "must be longer than zero");
        }
        if (retention.compareTo(ttl) < 0) {
            throw new ConfigException("fleet.retention", "must be at least fleet.instance_ttl (" + ttl + ")");
        }
        Duration memory = fleet.duration("instance_memory", FleetSettings.DEFAULT_INSTANCE_MEMORY);
        if (memory.isNegative()) {
            throw new ConfigException("fleet.instance_memory", "must not be negative (0s: never expect from history)");
        }
        return new FleetSettings(ttl, skew, batch, retention, memory, expectedInstances(fleet.get("expected_instances"),
                environments));
    }

    private static List<ExpectedInstances.Configured> expectedInstances(ConfigNode list, List<Environment> environments) {
        List<ExpectedInstances.Configured> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigNode e : list.list()) {
            e.requireObject();
            e.allowOnly("environment", "template", "region", "instances");
            String environment = name(e, "environment");
            if (environments.stream().noneMatch(x -> x.name().equals(environment))) {
                throw new ConfigException(e.path() + ".environment", "names no configured environment: " + environment);
            }
            // Templates may also be created through the API, so any valid name is taken: one that never runs
            // shows up in convergence as all of its instances missing, which is loud enough for a typo.
            String template = name(e, "template");
            String region = e.get("region").isPresent() ? name(e, "region") : Names.DEFAULT_REGION;
            if (!e.get("instances").isPresent()) {
                throw new ConfigException(e.path() + ".instances", "is required");
            }
            int instances = e.integer("instances", 0, 0, 1_000_000);
            if (!seen.add(environment + "/" + template + "/" + region)) {
                throw new ConfigException(e.path(), "duplicate entry for " + environment + "/" + template + "/" + region);
            }
            out.add(new ExpectedInstances.Configured(environment, template, region, instances));
        }
        return out;
    }

    /** {@code require_provenance}: false (default), true (declared-complete, as always) or verified. */
    private static Environment.RequiredProvenance requiredProvenance(ConfigNode c) {
        if (!c.isPresent()) {
            return Environment.RequiredProvenance.NONE;
        }
        if (c.raw().isBoolean()) {
            return c.raw().asBoolean() ? Environment.RequiredProvenance.DECLARED : Environment.RequiredProvenance.NONE;
        }
        if (c.raw().isTextual() && c.raw().asText().equals("verified")) {
            return Environment.RequiredProvenance.VERIFIED;
        }
        throw new ConfigException(c.path(), "must be true, false or verified");
    }

    private static List<Environment> environments(ConfigNode list, Map<String, RemoteUpstream> remotes,
                                                  Map<String, String> tokens, Map<String, String> env) {
        List<Environment> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigNode e : list.list()) {
            e.requireObject();
            e.allowOnly("name", "upstream", "require_provenance", "verify_images", "mirror_tag", "auto_promote",
                    "on_image_gone", PolicySection.REQUIRES, PolicySection.FREEZE_WINDOWS, PolicySection.APPROVALS);
            String name = name(e, "name");
            if (!seen.add(name)) {
                throw new ConfigException(e.path() + ".name", "duplicate environment " + name);
            }
            RemoteUpstream remote = RemoteUpstreamSection.parse(e.get("upstream"));
            String upstream = remote != null ? remote.environment() : e.string("upstream", null);
            if (remote != null) {
                // an upstream on another server: nothing local to name, but its token must be there at start
                remotes.put(name, remote);
                String token = env.get(remote.tokenEnv());
                if (token == null || token.isBlank()) {
                    throw new ConfigException(e.path() + ".upstream.token_env", "environment variable " + remote.tokenEnv()
                            + " is not set; it must hold a read token for " + remote.label());
                }
                tokens.put(remote.tokenEnv(), token.strip());
            } else if (upstream != null && !seen.contains(upstream)) {
                throw new ConfigException(e.path() + ".upstream", "must name an environment listed before this one");
            }
            String mirrorTag = e.string("mirror_tag", null);
            if (mirrorTag != null && !mirrorTag.matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")) {
                throw new ConfigException(e.path() + ".mirror_tag", "must be a valid image tag");
            }
            OnImageGone onImageGone = OnImageGone.fromWire(e.string("on_image_gone", "warn"));
            if (onImageGone == null) {
                throw new ConfigException(e.path() + ".on_image_gone", "must be refuse or warn");
            }
            out.add(new Environment(name, upstream, requiredProvenance(e.get("require_provenance")),
                    e.bool("verify_images", false), mirrorTag, e.bool("auto_promote", false), onImageGone,
                    PolicySection.read(e, remote == null ? upstream : null, remote, seen, name)));
        }
        if (out.isEmpty()) {
            out.add(Environment.named("default"));
        }
        return out;
    }

    private static DatabaseSettings database(ConfigNode db, Map<String, String> env) {
        db.requireObject();
        db.allowOnly("url", "user", "password_env", "pool_size");
        String url = env.getOrDefault("LOCKSTEP_DATABASE_URL", db.string("url",
                "jdbc:sqlite:" + Path.of(env.getOrDefault("LOCKSTEP_DATA_DIR", "lockstep-data"), "lockstep.db")));
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(env.containsKey("LOCKSTEP_DATABASE_URL") ? "LOCKSTEP_DATABASE_URL" : "database.url",
                    "must start with jdbc:sqlite: or jdbc:postgresql:");
        }
        if (url.matches("^jdbc:postgresql://[^/?#]*@.*")) {
            // The driver does not read user-info: it takes the password for a port and logs it.
            throw new ConfigException(env.containsKey("LOCKSTEP_DATABASE_URL") ? "LOCKSTEP_DATABASE_URL" : "database.url",
                    "must not hold user:password@; set LOCKSTEP_DATABASE_USER and LOCKSTEP_DATABASE_PASSWORD (the URL is not shown)");
        }
        String user = env.getOrDefault("LOCKSTEP_DATABASE_USER", db.string("user", null));
        String password = env.get("LOCKSTEP_DATABASE_PASSWORD");
        String passwordEnv = db.string("password_env", null);
        if (password == null && passwordEnv != null) {
            password = env.get(passwordEnv);
            if (password == null) {
                throw new ConfigException("database.password_env", "environment variable " + passwordEnv + " is not set");
            }
        }
        return new DatabaseSettings(url, user, password, db.integer("pool_size", 8, 1, 64));
    }

    private static List<Template> templates(ConfigNode list) {
        List<Template> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (ConfigNode t : list.list()) {
            t.requireObject();
            t.allowOnly("name", "repository", "kinds", "group", "pinnable");
            String name = name(t, "name");
            if (!seen.add(name)) {
                throw new ConfigException(t.path() + ".name", "duplicate template " + name);
            }
            List<String> templateKinds = t.strings("kinds");
            for (String k : templateKinds) {
                if (!kinds.add(k)) {
                    throw new ConfigException(t.path() + ".kinds", "workload kind " + k + " already resolves to another template");
                }
            }
            Template template = new Template(name, t.requireString("repository"), templateKinds,
                    t.string("group", null), t.bool("pinnable", true));
            try {
                out.add(TemplateService.validate(template));
            } catch (LockstepException e) {
                throw new ConfigException(t.path(), e.getMessage());
            }
        }
        return out;
    }

    private static List<ApiToken> tokens(ConfigNode list, Map<String, String> env, List<Environment> environments) {
        List<ApiToken> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode t : list.list()) {
            t.requireObject();
            t.allowOnly("name", "scopes", "environments", "secret_sha256", "secret_env");
            String name = name(t, "name");
            if (!names.add(name) || name.equals(BOOTSTRAP_ADMIN)) {
                throw new ConfigException(t.path() + ".name", "duplicate or reserved token name " + name);
            }
            Set<Scope> scopes = new LinkedHashSet<>();
            for (String s : t.strings("scopes")) {
                try {
                    scopes.add(Scope.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(t.path() + ".scopes", e.getMessage());
                }
            }
            if (scopes.isEmpty()) {
                throw new ConfigException(t.path() + ".scopes", "needs at least one of read, promote, admin, report, approve");
            }
            Set<String> envs = null;
            if (t.get("environments").isPresent()) {
                envs = new LinkedHashSet<>(t.strings("environments"));
                for (String e : envs) {
                    if (environments.stream().noneMatch(x -> x.name().equals(e))) {
                        throw new ConfigException(t.path() + ".environments", "names no configured environment: " + e);
                    }
                }
            }
            out.add(new ApiToken(name, scopes, envs, secretHash(t, env)));
        }
        String bootstrap = env.get("LOCKSTEP_ADMIN_TOKEN");
        if (bootstrap != null && !bootstrap.isEmpty()) {
            out.add(new ApiToken(BOOTSTRAP_ADMIN, Set.of(Scope.ADMIN, Scope.REPORT), null, TokenRegistry.sha256(bootstrap)));
        }
        return out;
    }

    private static byte[] secretHash(ConfigNode t, Map<String, String> env) {
        String hash = t.string("secret_sha256", null);
        String var = t.string("secret_env", null);
        if ((hash == null) == (var == null)) {
            throw new ConfigException(t.path(), "give exactly one of secret_sha256 or secret_env (never the plain secret)");
        }
        if (hash != null) {
            if (!hash.matches("^[a-f0-9]{64}$")) {
                throw new ConfigException(t.path() + ".secret_sha256", "must be 64 lower-case hex characters (sha256sum of the secret)");
            }
            return HexFormat.of().parseHex(hash);
        }
        String secret = env.get(var);
        if (secret == null || secret.isEmpty()) {
            throw new ConfigException(t.path() + ".secret_env", "environment variable " + var + " is not set or empty");
        }
        return TokenRegistry.sha256(secret);
    }

    private static String name(ConfigNode node, String key) {
        String v = node.requireString(key);
        if (!Names.isValid(v)) {
            throw new ConfigException(node.path() + "." + key, "must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        return v;
    }

}
