package io.lockstep.cli.client;

import io.lockstep.config.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Names;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The picocli mixin every client command uses to name its control planes:
 * <pre>
 *   --target prod=https://cp.example.com   (repeatable)
 *   --token-env prod=PROD_LOCKSTEP_TOKEN   (repeatable; a bare VARIABLE applies to every target;
 *                                           default variable LOCKSTEP_TOKEN)
 *   --environment prod=production          (repeatable; default: the target's name)
 *   --targets targets.yaml                 (YAML list of {name, url, token_env, environment})
 *   --verbose                              (HTTP trace on stderr, Authorization redacted)
 * </pre>
 * A token is never a command-line value: {@code --token-env} takes the NAME of an environment
 * variable, and a value that does not look like one is refused without being echoed.
 * <p>Use: {@code @Mixin TargetOptions targets;} then {@code targets.resolve(System.getenv())}, which
 * returns the targets plus one line per problem (exit 2 when any) without sending a request.
 */
public final class TargetOptions {
    public static final String DEFAULT_TOKEN_VARIABLE = "LOCKSTEP_TOKEN";
    private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    private static final Set<String> FILE_KEYS = Set.of("name", "url", "token_env", "environment");

    @Option(names = "--target", paramLabel = "NAME=URL",
            description = "A control plane to act on (repeatable), e.g. prod=https://cp.example.com.")
    List<String> targetSpecs = new ArrayList<>();

    @Option(names = "--token-env", paramLabel = "NAME=VARIABLE",
            description = "Environment variable holding the target's token (repeatable; bare VARIABLE: every target). "
                    + "Default: " + DEFAULT_TOKEN_VARIABLE + ". Tokens are never accepted as values.")
    List<String> tokenEnvSpecs = new ArrayList<>();

    @Option(names = "--environment", paramLabel = "NAME=ENVIRONMENT",
            description = "The environment on the target's server (repeatable). Default: the target's name.")
    List<String> environmentSpecs = new ArrayList<>();

    @Option(names = "--targets", paramLabel = "FILE",
            description = "YAML list of targets: [{name, url, token_env, environment}].")
    Path targetsFile;

    @Option(names = "--verbose", description = "Trace every HTTP request and response on stderr (tokens redacted).")
    boolean verbose;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = RetryOptions.DurationConverter.class,
            description = "Give up waiting for one answer after this long (e.g. 500ms, 30s, 2m). A write that times out is"
                    + " read back and reported as applied or OUTCOME UNKNOWN (exit 4). Default: ${DEFAULT-VALUE}.")
    Duration requestTimeout = LockstepClient.DEFAULT_REQUEST_TIMEOUT;

    /** The outcome of reading the options: targets in the order given, and problems (one line each). */
    public record Resolution(List<Target> targets, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Whether {@code --environment} named a target's environment (else each target's default is its name). */
    public boolean environmentGiven() {
        return !environmentSpecs.isEmpty();
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public HttpTrace trace() {
        return verbose ? HttpTrace.to(System.err) : HttpTrace.off();
    }

    /** Reads targets, tokens and environments; sends nothing. {@code env} is the process environment. */
    public Resolution resolve(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> tokenVars = new LinkedHashMap<>();
        Map<String, String> environments = new LinkedHashMap<>();
        String defaultVariable = DEFAULT_TOKEN_VARIABLE;

        if (targetsFile != null) {
            readTargetsFile(urls, tokenVars, environments, problems);
        }
        for (String spec : targetSpecs) {
            String[] kv = pair("--target", spec, "NAME=URL", problems);
            if (kv != null && urls.putIfAbsent(kv[0], kv[1]) != null) {
                problems.add("--target " + kv[0] + " is given twice.");
            }
        }
        for (String spec : tokenEnvSpecs) {
            if (!spec.contains("=")) {
                if (checkVariable(spec, "--token-env", problems)) {
                    defaultVariable = spec;
                }
                continue;
            }
            String[] kv = pair("--token-env", spec, "NAME=VARIABLE", problems);
            if (kv != null && checkVariable(kv[1], "--token-env " + kv[0], problems)) {
                tokenVars.put(kv[0], kv[1]);
            }
        }
        for (String spec : environmentSpecs) {
            String[] kv = pair("--environment", spec, "NAME=ENVIRONMENT", problems);
            if (kv != null) {
                environments.put(kv[0], kv[1]);
            }
        }
        for (String name : tokenVars.keySet()) {
            if (!urls.containsKey(name)) {
                // Not echoed: "abc=def" may be a token with '=' in it, split at the '='.
                problems.add("a --token-env NAME=VARIABLE names a target that no --target or targets file defines"
                        + " (the value is not shown).");
            }
        }
        for (String name : environments.keySet()) {
            if (!urls.containsKey(name)) {
                problems.add("--environment names target " + name + ", which no --target or targets file defines.");
            }
        }
        if (urls.isEmpty() && problems.isEmpty()) {
            problems.add("no target: give --target NAME=URL (repeatable) or --targets FILE.");
        }

        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, String> e : urls.entrySet()) {
            String name = e.getKey();
            if (!Names.isValid(name)) {
                problems.add("target name " + Names.quoteForError(name) + " must be 1-63 characters of a-z, 0-9, '.', '_' or '-'.");
                continue;
            }
            URI url = parseUrl(name, e.getValue(), problems);
            String environment = environments.getOrDefault(name, name);
            if (!Names.isValid(environment)) {
                problems.add("target " + name + ": environment " + Names.quoteForError(environment) + " is not a valid name.");
            }
            String variable = tokenVars.getOrDefault(name, defaultVariable);
            Token token = Token.fromEnvironment(env, variable);
            if (token == null) {
                problems.add("target " + name + ": " + unsetVariable(variable, env.containsKey(variable)));
            }
            if (url != null) {
                targets.add(new Target(name, url, environment, variable, token));
            }
        }
        return new Resolution(List.copyOf(targets), List.copyOf(problems));
    }

    private void readTargetsFile(Map<String, String> urls, Map<String, String> tokenVars,
                                 Map<String, String> environments, List<String> problems) {
        JsonNode doc;
        try {
            doc = Yaml.read(targetsFile);
        } catch (IOException e) {
            problems.add("targets file " + targetsFile + ": " + firstLine(e.getMessage()));
            return;
        }
        if (doc == null || !doc.isArray() || doc.isEmpty()) {
            problems.add("targets file " + targetsFile + ": must be a non-empty YAML list of {name, url, token_env, environment}.");
            return;
        }
        for (int i = 0; i < doc.size(); i++) {
            JsonNode t = doc.get(i);
            String where = "targets file " + targetsFile + " [" + i + "]";
            if (!t.isObject()) {
                problems.add(where + ": must be a mapping with name and url.");
                continue;
            }
            for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!FILE_KEYS.contains(key)) {
                    problems.add(where + ": unknown key " + Names.quoteForError(key) + " (allowed: name, url, token_env, environment).");
                }
            }
            String name = t.path("name").asText("");
            String url = t.path("url").asText("");
            if (name.isEmpty() || url.isEmpty()) {
                problems.add(where + ": name and url are required.");
                continue;
            }
            if (urls.putIfAbsent(name, url) != null) {
                problems.add(where + ": target " + name + " is defined twice.");
            }
            if (t.hasNonNull("token_env") && checkVariable(t.get("token_env").asText(), where + " token_env", problems)) {
                tokenVars.put(name, t.get("token_env").asText());
            }
            if (t.hasNonNull("environment")) {
                environments.put(name, t.get("environment").asText());
            }
        }
    }

    private static String[] pair(String option, String spec, String form, List<String> problems) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            problems.add(option + " must have the form " + form + ".");
            return null;
        }
        return new String[]{spec.substring(0, eq), spec.substring(eq + 1)};
    }

    /** A value that is not a variable name may be a pasted token: refuse it and never echo it. */
    private static boolean checkVariable(String variable, String where, List<String> problems) {
        if (VARIABLE.matcher(variable).matches()) {
            return true;
        }
        problems.add(where + " must name an environment variable (letters, digits, '_'), not hold a token;"
                + " the value is not shown.");
        return false;
    }

    /**
     * Why no token was found, naming the variable only when it reads like a variable name: a
     * {@code --token-env} value is often a token pasted by mistake, and a token is never echoed.
     */
    static String unsetVariable(String variable, boolean present) {
        if (ENV_NAME.matcher(variable).matches() && !looksLikeToken(variable)) {
            return "environment variable " + variable + (present ? " is empty" : " is not set") + "; it must hold the token.";
        }
        return "the --token-env value does not name a set environment variable (the value is not shown)"
                + (looksLikeToken(variable) ? "; this looks like a token: pass the NAME of the variable that holds it." : ".");
    }

    private static final Pattern ENV_NAME = Pattern.compile("^[A-Z_][A-Z0-9_]{0,63}$");

    /** A Lockstep token prefix, or a long run of mixed letters and digits no one would name a variable. */
    static boolean looksLikeToken(String value) {
        if (value.regionMatches(true, 0, "lsk_", 0, 4)) {
            return true;
        }
        int digits = 0;
        int lower = 0;
        for (char c : value.toCharArray()) {
            digits += Character.isDigit(c) ? 1 : 0;
            lower += Character.isLowerCase(c) ? 1 : 0;
        }
        return value.length() >= 16 && digits >= 4 && (lower > 0 || digits * 3 >= value.length());
    }

    private static URI parseUrl(String name, String value, List<String> problems) {
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            problems.add("target " + name + ": URL is not valid" + shown(value) + ".");
            return null;
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || value.contains("@")) {
            problems.add("target " + name + ": URL must not carry credentials or a query; use --token-env (the URL is not shown).");
            return null;
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            problems.add("target " + name + ": URL must be http(s)://host[:port][/path]" + shown(value) + ".");
            return null;
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            problems.add("target " + name + ": port " + u.getPort() + " is not a TCP port (1-65535).");
            return null;
        }
        if (u.getRawFragment() != null) {
            problems.add("target " + name + ": URL must not have a #fragment.");
            return null;
        }
        return u;
    }

    /** {@code ; got "…"} for a URL that cannot hold a secret, else nothing. */
    private static String shown(String value) {
        return value.contains("@") || value.contains("?") || looksLikeToken(value) ? " (the value is not shown)"
                : "; got " + Names.quoteForError(value);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "cannot be read";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
