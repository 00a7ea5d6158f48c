package io.lockstep.oci;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything that describes how to talk to one registry host. Secrets are not values here: the auth
 * mode holds {@link RegistryCredentials} that were resolved from an environment variable or a file
 * (see the {@code *FromEnv} / {@code *FromFile} builder methods), which is the only way the config
 * layer should create them.
 *
 * @param baseUrl           {@code https://registry.example.com} or {@code http://127.0.0.1:5000}; no path
 * @param caFile            PEM bundle trusted instead of the JVM default for this registry (https only)
 * @param insecure          skip TLS verification; only for loopback hosts or plain http, because
 *                          turning it on for a real network host silently allows a man in the middle
 *                          to swap the images we pin
 * @param requestsPerSecond per-registry rate limit; 0 disables it
 * @param burst             requests allowed back to back before the rate limit applies
 */
public record RegistryConfig(URI baseUrl, RegistryAuth auth, Optional<Path> caFile, boolean insecure,
                             Duration connectTimeout, Duration requestTimeout, RegistryRetry retry,
                             double requestsPerSecond, int burst) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public RegistryConfig {
        Objects.requireNonNull(baseUrl, "registry url");
        Objects.requireNonNull(auth, "registry auth");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(retry, "retry");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("registry url must start with http:// or https://, got " + baseUrl);
        }
        if (baseUrl.getHost() == null || baseUrl.getHost().isEmpty()) {
            throw new IllegalArgumentException("registry url has no host: " + baseUrl);
        }
        if (baseUrl.getRawPath() != null && !baseUrl.getRawPath().isEmpty() && !baseUrl.getRawPath().equals("/")) {
            throw new IllegalArgumentException("registry url must not have a path (the API lives at /v2/), got " + baseUrl);
        }
        if (baseUrl.getUserInfo() != null) {
            throw new IllegalArgumentException("registry url must not contain credentials; use password_env or password_file");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("registry url must not have a query or fragment, got " + baseUrl.getHost());
        }
        baseUrl = URI.create(scheme + "://" + baseUrl.getRawAuthority());
        if (insecure && scheme.equals("https") && !isLoopback(baseUrl.getHost())) {
            throw new IllegalArgumentException("registry " + baseUrl.getRawAuthority() + ": insecure is only allowed for loopback hosts "
                    + "(127.0.0.0/8, ::1, localhost) or plain http; for a private CA set ca_file instead");
        }
        if (caFile.isPresent() && scheme.equals("http")) {
            throw new IllegalArgumentException("registry " + baseUrl.getRawAuthority() + ": ca_file only applies to https urls");
        }
        if (caFile.isPresent() && insecure) {
            throw new IllegalArgumentException("registry " + baseUrl.getRawAuthority() + ": set either ca_file or insecure, not both");
        }
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(requestTimeout, "request timeout");
        if (requestsPerSecond < 0 || Double.isNaN(requestsPerSecond) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("registry rate limit must be >= 0 requests/second (0 = unlimited), got " + requestsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("registry rate limit burst must be >= 1, got " + burst);
        }
    }

    public static Builder builder(String baseUrl) {
        return new Builder(URI.create(baseUrl));
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** {@code host[:port]}, used in every error message. */
    public String host() {
        return baseUrl.getRawAuthority();
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses are judged; a DNS name other than localhost could resolve anywhere.
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("registry " + what + " must be positive");
        }
    }

    /** Builder with conservative defaults: anonymous, 5 s connect, 30 s request, {@link RegistryRetry#DEFAULT}, 10 req/s burst 20. */
    public static final class Builder {
        private final URI baseUrl;
        private RegistryAuth auth = RegistryAuth.anonymous();
        private Path caFile;
        private boolean insecure;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RegistryRetry retry = RegistryRetry.DEFAULT;
        private double requestsPerSecond = 10;
        private int burst = 20;

        private Builder(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        public Builder auth(RegistryAuth auth) {
            this.auth = auth;
            return this;
        }

        public Builder anonymous() {
            return auth(RegistryAuth.anonymous());
        }

        /** htpasswd-style basic auth; password from environment variable {@code passwordEnv}. */
        public Builder basicAuthFromEnv(String username, String passwordEnv) {
            return auth(RegistryAuth.basic(RegistryCredentials.fromEnv(username, passwordEnv)));
        }

        /** htpasswd-style basic auth; password from file {@code passwordFile}. */
        public Builder basicAuthFromFile(String username, Path passwordFile) {
            return auth(RegistryAuth.basic(RegistryCredentials.fromFile(username, passwordFile)));
        }

        /** Bearer token flow, presenting these credentials to the token server. */
        public Builder bearerAuthFromEnv(String username, String passwordEnv) {
            return auth(RegistryAuth.bearer(RegistryCredentials.fromEnv(username, passwordEnv)));
        }

        public Builder bearerAuthFromFile(String username, Path passwordFile) {
            return auth(RegistryAuth.bearer(RegistryCredentials.fromFile(username, passwordFile)));
        }

        /** Amazon ECR in {@code region}, credentials from the AWS SDK default chain. */
        public Builder ecr(String region) {
            return auth(RegistryAuth.ecr(EcrCredentialProvider.aws(region)));
        }

        /** Amazon ECR, region taken from the registry host name. */
        public Builder ecr() {
            return ecr(AwsEcrAuthorizationSource.regionOfHost(baseUrl.getHost()));
        }

        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder retry(RegistryRetry retry) {
            this.retry = retry;
            return this;
        }

        /** Requests per second to this registry; 0 = unlimited. */
        public Builder rateLimit(double requestsPerSecond, int burst) {
            this.requestsPerSecond = requestsPerSecond;
            this.burst = burst;
            return this;
        }

        public RegistryConfig build() {
            return new RegistryConfig(baseUrl, auth, Optional.ofNullable(caFile), insecure, connectTimeout, requestTimeout,
                    retry, requestsPerSecond, burst);
        }
    }
}
