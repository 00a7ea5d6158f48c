package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Event;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriptions admin API on both stores: bad subscriptions are precise 400s that store nothing, the
 * secret never comes back, the file owns its subscriptions, the delivery log and redeliver work against a real
 * receiver ({@link WebhookReceiver}, the JDK HttpServer on loopback), and the metrics show each subscription.
 */
class SubscriptionApiTest {
    static final String SECRET = "whsec-api-test-5f0c8a1b2d3e";
    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    static final String FROM_FILE_SECRET = TestConfig.HOOK;

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(WebhookDeliveryTest.WEBHOOKS + """
              subscriptions:
                - {name: from-file, url: "http://127.0.0.1:9/file", types: [pin.rolled_back], format: slack,
                   secret_env: T_HOOK}
            """);

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    private static Http.Response post(TestServer s, Object... kv) {
        return s.http.post("/api/v1/subscriptions", TestConfig.ADMIN, Json.obj(kv));
    }

    private static Object[] valid(String name, Object... overrides) {
        List<Object> kv = new ArrayList<>(List.of("name", name, "url", RECEIVER.url("/" + name), "types",
                List.of(Event.PIN_PROMOTED), "format", "lockstep", "secret", SECRET));
        for (int i = 0; i < overrides.length; i += 2) {
            int at = kv.indexOf(overrides[i]);
            if (at >= 0) {
                kv.set(at + 1, overrides[i + 1]);
            } else {
                kv.add(overrides[i]);
                kv.add(overrides[i + 1]);
            }
        }
        return kv.toArray();
    }

    private static int count(TestServer s) {
        return s.server.store().subscriptions().all().size();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void badSubscriptionsAreRefusedWithAPrecise400AndStoreNothing(StoreKind kind) {
        TestServer s = servers.of(kind);
        int before = count(s);
        record Bad(String code, String mentions, Object[] body) {
        }
        List<Bad> bad = List.of(
                new Bad("INVALID_SUBSCRIPTION", "http or https", valid(Unique.name("b"), "url", "ftp://example.com/x")),
                new Bad("INVALID_SUBSCRIPTION", "http or https", valid(Unique.name("b"), "url", "file:///etc/passwd")),
                new Bad("INVALID_SUBSCRIPTION", "not a valid URL", valid(Unique.name("b"), "url", "http://exa mple/")),
                new Bad("INVALID_SUBSCRIPTION", "user:password", valid(Unique.name("b"), "url", "https://u:p@example.com/")),
                new Bad("WEBHOOK_ADDRESS_FORBIDDEN", "link-local", valid(Unique.name("b"), "url",
                        "http://169.254.169.254/latest/meta-data/")),
                new Bad("WEBHOOK_ADDRESS_FORBIDDEN", "link-local", valid(Unique.name("b"), "url", "http://[fe80::1]/x")),
                new Bad("WEBHOOK_ADDRESS_FORBIDDEN", "metadata", valid(Unique.name("b"), "url",
                        "http://metadata.google.internal/computeMetadata/v1/")),
                new Bad("WEBHOOK_ADDRESS_FORBIDDEN", "metadata", valid(Unique.name("b"), "url", "http://100.100.100.200/")),
                new Bad("WEBHOOK_ADDRESS_FORBIDDEN", "unspecified", valid(Unique.name("b"), "url", "http://0.0.0.0:9/")),
                new Bad("INVALID_SUBSCRIPTION", "pin.promotd", valid(Unique.name("b"), "types", List.of("pin.promotd"))),
                new Bad("INVALID_SUBSCRIPTION", "at least one", valid(Unique.name("b"), "types", List.of())),
                new Bad("INVALID_SUBSCRIPTION", "teams", valid(Unique.name("b"), "format", "teams")),
                new Bad("INVALID_SUBSCRIPTION", "secret", valid(Unique.name("b"), "secret", "short")),
                new Bad("INVALID_SUBSCRIPTION", "qa", valid(Unique.name("b"), "environments", List.of("qa"))),
                new Bad("INVALID_SUBSCRIPTION", "name", valid("Bad Name!")),
                new Bad("MISSING_FIELD", "secret", Arrays.copyOf(valid(Unique.name("b")), 8)),
                new Bad("UNKNOWN_FIELD", "colour", valid(Unique.name("b"), "colour", "red")),
                new Bad("WRONG_TYPE", "types", valid(Unique.name("b"), "types", "pin.promoted")));
        for (Bad b : bad) {
            Http.Response r = post(s, b.body());
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.code()).as(r.body()).isEqualTo(b.code());
            assertThat(r.json().path("error").asText()).as(r.body()).contains(b.mentions());
            assertThat(r.body()).doesNotContain(SECRET);
        }
        assertThat(count(s)).isEqualTo(before);
        assertThat(s.http.get("/api/v1/subscriptions", TestConfig.ADMIN).json().path("subscriptions").size())
                .isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSecretIsNeverShownAndTheUrlOnlyUpToItsHost(StoreKind kind) {
        TestServer s = servers.of(kind);
        String name = Unique.name("sub");
        Http.Response created = post(s, valid(name, "url", RECEIVER.url("/T0001/B0002/" + name + "-token")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("secret_set").asBoolean()).isTrue();
        assertThat(created.json().path("url").asText()).endsWith("/…").doesNotContain("token");
        assertThat(created.json().path("status").asText()).isEqualTo("ok");
        for (String path : List.of("/api/v1/subscriptions", "/api/v1/subscriptions/" + name,
                "/api/v1/subscriptions/" + name + "/deliveries", "/metrics")) {
            Http.Response r = s.http.get(path, TestConfig.ADMIN);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(SECRET).doesNotContain(FROM_FILE_SECRET)
                    .doesNotContain(name + "-token");
        }
        Http.Response again = post(s, valid(name));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("SUBSCRIPTION_EXISTS");

        assertThat(s.http.delete("/api/v1/subscriptions/" + name, TestConfig.ADMIN).status()).isEqualTo(200);
        Http.Response gone = s.http.get("/api/v1/subscriptions/" + name, TestConfig.ADMIN);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("UNKNOWN_SUBSCRIPTION");
        assertThat(s.http.delete("/api/v1/subscriptions/" + name, TestConfig.ADMIN).code())
                .isEqualTo("UNKNOWN_SUBSCRIPTION");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deliveriesAreLoggedAndAnEventCanBeRedelivered(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        String name = Unique.name("sub");
        assertThat(post(s, valid(name, "groups", List.of(group))).status()).isEqualTo(201);
        Api.promoteOk(s, template, Unique.digest());
        Api.promoteOk(s, template, Unique.digest());
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> RECEIVER.at("/" + name).size() >= 2)).isTrue();
        List<Long> ids = WebhookDeliveryTest.promotedIds(s, group);

        // the receiver has the request a moment before the server has its answer and logs it
        assertThat(WebhookReceiver.await(Duration.ofSeconds(5), () -> s.http.get("/api/v1/subscriptions/" + name
                + "/deliveries", TestConfig.ADMIN).json().path("deliveries").size() == 2)).isTrue();
        JsonNode log = s.http.get("/api/v1/subscriptions/" + name + "/deliveries", TestConfig.ADMIN).json();
        assertThat(log.path("deliveries")).hasSize(2);
        JsonNode newest = log.path("deliveries").get(0);
        assertThat(newest.path("event_id").asLong()).isEqualTo(ids.get(1));
        assertThat(newest.path("status").asText()).isEqualTo("delivered");
        assertThat(newest.path("attempts").asInt()).isEqualTo(1);
        assertThat(newest.path("http_status").asInt()).isEqualTo(200);
        assertThat(newest.has("latency_ms")).isTrue();

        Http.Response redeliver = s.http.post("/api/v1/subscriptions/" + name + "/deliveries/" + ids.get(0)
                + "/redeliver", TestConfig.ADMIN, "");
        assertThat(redeliver.status()).as(redeliver.body()).isEqualTo(202);
        assertThat(redeliver.json().path("status").asText()).isEqualTo("queued");
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> RECEIVER.at("/" + name).size() >= 3)).isTrue();
        assertThat(WebhookDeliveryTest.verifiedIdsWith(RECEIVER, "/" + name, SECRET))
                .containsExactly(ids.get(0), ids.get(1), ids.get(0));
        assertThat(WebhookReceiver.await(Duration.ofSeconds(5), () -> s.http.get("/api/v1/subscriptions/" + name
                + "/deliveries", TestConfig.ADMIN).json().path("deliveries").get(1).path("attempts").asInt() == 2))
                .isTrue();

        Http.Response unknown = s.http.post("/api/v1/subscriptions/" + name + "/deliveries/999999999/redeliver",
                TestConfig.ADMIN, "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("UNKNOWN_EVENT");
        Http.Response notANumber = s.http.post("/api/v1/subscriptions/" + name + "/deliveries/abc/redeliver",
                TestConfig.ADMIN, "");
        assertThat(notANumber.status()).isEqualTo(400);

        String metrics = s.http.get("/metrics", null).body();
        assertThat(metrics).contains("lockstep_webhook_deliveries_total{outcome=\"delivered\",subscription=\"" + name + "\"} 3.0");
        assertThat(metrics).contains("lockstep_webhook_outbox_depth{subscription=\"" + name + "\"}");
        assertThat(metrics).contains("lockstep_webhook_oldest_undelivered_seconds{subscription=\"" + name + "\"}");
        assertThat(metrics).contains("lockstep_webhook_failing{subscription=\"" + name + "\"} 0.0");
        assertThat(metrics).contains("lockstep_webhook_delivery_seconds_count{subscription=\"" + name + "\"} 3");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFileOwnsItsSubscriptions(StoreKind kind) {
        TestServer s = servers.of(kind);
        Http.Response r = s.http.get("/api/v1/subscriptions/from-file", TestConfig.ADMIN);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("source").asText()).isEqualTo("config");
        assertThat(r.json().path("format").asText()).isEqualTo("slack");
        assertThat(r.json().path("secret_set").asBoolean()).isTrue();
        assertThat(r.body()).doesNotContain(FROM_FILE_SECRET);
        Http.Response delete = s.http.delete("/api/v1/subscriptions/from-file", TestConfig.ADMIN);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.code()).isEqualTo("SUBSCRIPTION_FROM_CONFIG");
        assertThat(s.server.store().subscriptions().find("from-file")).isPresent();
        Http.Response clash = post(s, valid("from-file"));
        assertThat(clash.code()).isEqualTo("SUBSCRIPTION_EXISTS");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyAnAdminAllowedOnEveryEnvironmentManagesSubscriptions(StoreKind kind) {
        TestServer s = servers.of(kind);
        String name = Unique.name("sub");
        Http.Response limited = s.http.post("/api/v1/subscriptions", TestConfig.STAGING_ADMIN, Json.obj(valid(name)));
        assertThat(limited.status()).isEqualTo(403);
        assertThat(s.http.get("/api/v1/subscriptions", TestConfig.READER).status()).isEqualTo(403);
        assertThat(s.http.get("/api/v1/subscriptions", null).status()).isEqualTo(401);
        assertThat(s.server.store().subscriptions().find(name)).isEmpty();
    }
}
