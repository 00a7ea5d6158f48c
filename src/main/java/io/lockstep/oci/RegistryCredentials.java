package io.lockstep.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A username and password for a registry or its token server. Config files name where the secret
 * lives ({@code password_env}, {@code password_file}) and never hold it, so that a config file can be
 * committed and reviewed. Errors name the variable or file, never the value; {@link #toString()} is
 * redacted so a stray log line cannot leak it.
 */
public final class RegistryCredentials {

    private final String username;
    private final String password;
    private final String source;

    private RegistryCredentials(String username, String password, String source) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("registry username must not be blank (password from " + source + ")");
        }
        if (username.contains(":")) {
            throw new IllegalArgumentException("registry username must not contain ':' (basic auth separator)");
        }
        this.username = username;
        this.password = Objects.requireNonNull(password);
        this.source = source;
    }

    /** Password read from the environment variable {@code passwordEnv} of this process. */
    public static RegistryCredentials fromEnv(String username, String passwordEnv) {
        return fromEnv(username, passwordEnv, System::getenv);
    }

    /** As {@link #fromEnv(String, String)} with an explicit environment (tests, or a config layer's view). */
    public static RegistryCredentials fromEnv(String username, String passwordEnv, UnaryOperator<String> env) {
        if (passwordEnv == null || passwordEnv.isBlank()) {
            throw new IllegalArgumentException("registry password_env must name an environment variable");
        }
        String value = env.apply(passwordEnv);
        if (value == null) {
            throw new IllegalArgumentException("registry password environment variable " + passwordEnv + " is not set");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("registry password environment variable " + passwordEnv + " is empty");
        }
        return new RegistryCredentials(username, value, "environment variable " + passwordEnv);
    }

    /**
     * Password read from a file (a mounted Kubernetes/Docker secret). One trailing newline is
     * dropped because {@code echo secret > file} adds it and the registry would reject it.
     */
    public static RegistryCredentials fromFile(String username, Path passwordFile) {
        String value;
        try {
            value = Files.readString(passwordFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("registry password_file " + passwordFile + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("registry password_file " + passwordFile + " cannot be read: " + e.getClass().getSimpleName());
        }
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("registry password_file " + passwordFile + " is empty");
        }
        return new RegistryCredentials(username, value, "file " + passwordFile);
    }

    /**
     * Credentials already in memory: for values produced at run time (an ECR authorization token)
     * and for tests. Not for values read from a config file.
     */
    public static RegistryCredentials of(String username, String password, String source) {
        return new RegistryCredentials(username, password, source);
    }

    public String username() {
        return username;
    }

    /** Where the password came from, safe to show ("environment variable REGISTRY_PASSWORD"). */
    public String source() {
        return source;
    }

    /** The {@code Authorization} header value for basic auth. Never log it. */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** True if {@code text} contains the secret; used to scrub anything we did not write ourselves. */
    boolean appearsIn(String text) {
        return text != null && !password.isEmpty() && text.contains(password);
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=<redacted, from " + source + ">]";
    }
}
