package io.lockstep.service.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.http.RegistryHookRoutes;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.wire.hooks.ProviderPayloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 item 5: the push notifications of Harbor, Docker Hub, GitHub Packages, Quay and a GitLab
 * container registry, each at its own path with its own sender check, feed the same discovery as the
 * CNCF hook (a real registry holds the images; discovery reads their digests from it). Payloads come
 * from {@link ProviderPayloads}, shaped like each provider's documented example. Both stores.
 */
class ProviderHooksTest {
    private static final String GITHUB_SECRET = RegistryServer.HOOK_SECRET;
    private static final String HARBOR_SECRET = TestConfig.HOOK;
    private static final String GITLAB_SECRET = TestConfig.HOOK;
    private static final String HOOKS = """
            hooks:
              registry: {secret_env: HOOK_SECRET}
              harbor: {secret_env: T_HOOK}
              github: {secret_env: HOOK_SECRET}
              gitlab: {secret_env: T_HOOK}
              dockerhub: {allow_from: [%s]}
              quay: {allow_from: [%s]}
            audit: {interval: 1h}
            """;
    private static final String LOOPBACK = "\"127.0.0.0/8\", \"::1\"";
    /** TEST-NET-1 and -2 (RFC 5737): never the address a test connects from. */
    private static final String ELSEWHERE = "\"192.0.2.0/24\", \"198.51.100.7\"";

    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryClient client;
    private RegistryServer s;

    private void start(StoreKind kind, String dockerHubFrom, String quayFrom) {
        registry = RegistryFixture.startDefault();
        client = new RegistryClient(registry.clientConfig().build());
        s = new RegistryServer(kind.create(dir), registry, "auto_promote: true", null,
                RegistryServer.SEMVER_WATCH + HOOKS.formatted(dockerHubFrom, quayFrom));
        // The watch's first run (at start, on an empty registry) must be over before the test pushes.
        await().atMost(Duration.ofSeconds(30)).until(() -> s.registry().watcher().last("runtime").isPresent()
                && s.registry().watcher().idle());
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Map<String, String> pushRelease(String tag) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String t : TestConfig.GROUP) {
            digests.put(t, TestImages.pushImage(client, "molecule/" + t, tag, Map.of(ImageLabels.VERSION, tag)).digest());
        }
        return digests;
    }

    private Http.Response post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return s.http.send(b, null);
    }

    static String githubSignature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> github(String event, String secret, String body) {
        return Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "X-Hub-Signature-256", githubSignature(secret, body));
    }

    private JsonNode releases() {
        return s.get("/api/v1/releases").path("releases");
    }

    /** Sends a push notification and waits until the discovery it queued has finished. */
    private Http.Response deliver(String path, Map<String, String> headers, String body) {
        long before = s.hooks().tagPushes();
        Http.Response r = post(path, headers, body);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.hooks().tagPushes() > before && s.registry().watcher().idle());
        return r;
    }

    private void assertDiscoveredAndAutoPromoted(String version, Map<String, String> pushed) {
        JsonNode created = s.get("/api/v1/releases/runtime@" + version);
        for (String t : TestConfig.GROUP) {
            assertThat(created.path("images").path(t).asText()).isEqualTo(pushed.get(t));
        }
        JsonNode pin = s.pin("staging", "hermes");
        assertThat(pin.path("image_digest").asText()).isEqualTo(pushed.get("hermes"));
        assertThat(pin.path("promoted_by").asText()).isEqualTo("watch:runtime");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachProvidersPushNotificationTriggersDiscoveryAndTheWatchAutoPromotes(StoreKind kind) {
        start(kind, LOOPBACK, LOOPBACK);
        record Delivery(String version, String path, java.util.function.Function<Map<String, String>, Map<String, String>> headers,
                        java.util.function.Function<Map<String, String>, String> body) {
        }
        List<Delivery> deliveries = List.of(
                new Delivery("0.3.41", RegistryHookRoutes.HARBOR, d -> Map.of("Authorization", HARBOR_SECRET),
                        d -> ProviderPayloads.harbor("molecule", "hermes", "v0.3.41", d.get("hermes"))),
                // Docker Hub gives no digest: discovery resolves the tag in the registry, as it does for every hook.
                new Delivery("0.3.42", RegistryHookRoutes.DOCKERHUB, d -> Map.of(),
                        d -> ProviderPayloads.dockerHub("molecule", "hermes", "v0.3.42")),
                new Delivery("0.3.43", RegistryHookRoutes.GITHUB, d -> Map.of(),
                        d -> ProviderPayloads.github("published", "molecule", "hermes", "v0.3.43", d.get("hermes"))),
                new Delivery("0.3.44", RegistryHookRoutes.QUAY, d -> Map.of(),
                        d -> ProviderPayloads.quay("molecule", "hermes", "v0.3.44")),
                new Delivery("0.3.45", RegistryHookRoutes.GITLAB, d -> Map.of("X-Gitlab-Token", GITLAB_SECRET),
                        d -> ProviderPayloads.gitlab("push", "molecule/hermes", "v0.3.45", d.get("hermes"))));
        int known = 0;
        for (Delivery d : deliveries) {
            Map<String, String> pushed = pushRelease("v" + d.version());
            assertThat(releases()).as("pushed, but nobody told Lockstep yet (the watch polls hourly)").hasSize(known);
            String body = d.body().apply(pushed);
            Map<String, String> headers = d.path().equals(RegistryHookRoutes.GITHUB)
                    ? github("registry_package", GITHUB_SECRET, body) : d.headers().apply(pushed);
            Http.Response r = deliver(d.path(), headers, body);
            assertThat(r.json().path("triggered").toString()).as(d.path()).isEqualTo("[\"runtime\"]");
            assertThat(releases()).as(d.path()).hasSize(++known);
            assertDiscoveredAndAutoPromoted(d.version(), pushed);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBadSecretIs401AMalformedPayload400AndANonPushIgnoredAndNoneChangesAnything(StoreKind kind) {
        start(kind, LOOPBACK, LOOPBACK);
        pushRelease("v0.3.44"); // a release waiting in the registry: any discovery that ran would register it
        String d = "sha256:" + "ab".repeat(32);
        String harbor = ProviderPayloads.harbor("molecule", "hermes", "v0.3.44", d);
        String github = ProviderPayloads.github("published", "molecule", "hermes", "v0.3.44", d);
        String gitlab = ProviderPayloads.gitlab("push", "molecule/hermes", "v0.3.44", d);
        Object lastRun = s.registry().watcher().last("runtime").orElseThrow();
        long events = writtenEvents();

        // Wrong or missing secrets: 401, and the response never echoes a secret.
        List<Http.Response> refused = List.of(
                post(RegistryHookRoutes.HARBOR, Map.of(), harbor),
                post(RegistryHookRoutes.HARBOR, Map.of("Authorization", GITHUB_SECRET), harbor),
                post(RegistryHookRoutes.HARBOR, Map.of("Authorization", "Bearer " + HARBOR_SECRET + "x"), harbor),
                post(RegistryHookRoutes.GITHUB, Map.of("X-GitHub-Event", "registry_package"), github),
                post(RegistryHookRoutes.GITHUB, github("registry_package", HARBOR_SECRET, github), github),
                // Signed right, but over another body: the signature covers the body.
                post(RegistryHookRoutes.GITHUB, github("registry_package", GITHUB_SECRET, github), github.replace("v0.3.44", "v0.3.45")),
                post(RegistryHookRoutes.GITLAB, Map.of(), gitlab),
                post(RegistryHookRoutes.GITLAB, Map.of("X-Gitlab-Token", GITHUB_SECRET), gitlab),
                post(RegistryHookRoutes.GITLAB, Map.of("Authorization", "Bearer " + GITLAB_SECRET), gitlab));
        for (Http.Response r : refused) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.body()).doesNotContain(GITHUB_SECRET).doesNotContain(HARBOR_SECRET);
        }

        // Authenticated but not the provider's shape: 400 INVALID_NOTIFICATION.
        String notJson = "{\"type\":";
        List<Http.Response> malformed = List.of(
                post(RegistryHookRoutes.HARBOR, Map.of("Authorization", HARBOR_SECRET), notJson),
                post(RegistryHookRoutes.HARBOR, Map.of("Authorization", "Bearer " + HARBOR_SECRET), "{\"type\":\"PUSH_ARTIFACT\"}"),
                post(RegistryHookRoutes.GITHUB, github("registry_package", GITHUB_SECRET, "{\"action\":\"published\"}"), "{\"action\":\"published\"}"),
                post(RegistryHookRoutes.GITLAB, Map.of("X-Gitlab-Token", GITLAB_SECRET), "{\"event\":[]}"),
                post(RegistryHookRoutes.DOCKERHUB, Map.of(), "{\"repository\":{\"repo_name\":\"molecule/hermes\"}}"),
                post(RegistryHookRoutes.DOCKERHUB, Map.of(), ""),
                post(RegistryHookRoutes.QUAY, Map.of(), "{\"updated_tags\":[\"v0.3.44\"]}"),
                post(RegistryHookRoutes.QUAY, Map.of(), notJson));
        for (Http.Response r : malformed) {
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("INVALID_NOTIFICATION");
        }

        // Each provider's events that are not pushes: accepted (so the provider does not retry) and ignored.
        List<Http.Response> ignored = List.of(
                post(RegistryHookRoutes.HARBOR, Map.of("Authorization", HARBOR_SECRET), ProviderPayloads.harborPull("molecule", "hermes", d)),
                post(RegistryHookRoutes.GITHUB, github("ping", GITHUB_SECRET, ProviderPayloads.githubPing()), ProviderPayloads.githubPing()),
                post(RegistryHookRoutes.QUAY, Map.of(), ProviderPayloads.quayBuildQueued("molecule", "hermes")),
                post(RegistryHookRoutes.GITLAB, Map.of("X-Gitlab-Token", GITLAB_SECRET), ProviderPayloads.gitlab("pull", "molecule/hermes", "v0.3.44", d)));
        for (Http.Response r : ignored) {
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().path("push_events").asInt()).isZero();
            assertThat(r.json().path("triggered")).isEmpty();
        }

        assertNothingChanged(lastRun, events);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void dockerHubAndQuayAreRefusedFromOutsideTheirAllowedNetworks(StoreKind kind) {
        start(kind, ELSEWHERE, ELSEWHERE);
        pushRelease("v0.3.44");
        Object lastRun = s.registry().watcher().last("runtime").orElseThrow();
        long events = writtenEvents();
        for (Http.Response r : List.of(
                post(RegistryHookRoutes.DOCKERHUB, Map.of(), ProviderPayloads.dockerHub("molecule", "hermes", "v0.3.44")),
                post(RegistryHookRoutes.QUAY, Map.of(), ProviderPayloads.quay("molecule", "hermes", "v0.3.44")),
                // A forwarded-for header is the sender's word, not its address: it proves nothing.
                post(RegistryHookRoutes.QUAY, Map.of("X-Forwarded-For", "192.0.2.10"), ProviderPayloads.quay("molecule", "hermes", "v0.3.44")))) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
        }
        assertNothingChanged(lastRun, events);
    }

    private void assertNothingChanged(Object lastRun, long events) {
        assertThat(s.hooks().tagPushes()).isZero();
        assertThat(s.registry().watcher().idle()).isTrue();
        assertThat(s.registry().watcher().last("runtime").orElseThrow()).as("no discovery ran").isSameAs(lastRun);
        assertThat(releases()).isEmpty();
        assertThat(s.pin("staging", "hermes")).isNull();
        assertThat(writtenEvents()).as("events a write causes").isEqualTo(events);
    }

    /**
     * Events a hook's write would cause. Observed events (drift, fleet, image, mirror) are told by their own
     * schedule, which may land one meanwhile; counting them would make the check flaky, not sharper.
     */
    private long writtenEvents() {
        return s.server.store().eventsAfter(0, 1000).stream()
                .filter(e -> !e.type().startsWith("drift.") && !e.type().startsWith("fleet.")
                        && !e.type().startsWith("image.") && !e.type().startsWith("mirror."))
                .count();
    }
}
