package io.lockstep.http;

import io.lockstep.domain.Event;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code events.webhooks.max_subscriptions}: file and API subscriptions together; one more through the API is a 409
 * that stores nothing, and deleting one makes room again. Both stores.
 */
class SubscriptionLimitTest {
    private static final String LIMIT_2 = """
            events:
              webhooks: {allow_loopback: true, max_subscriptions: 2}
              subscriptions:
                - {name: from-file, url: "http://127.0.0.1:9/file", types: [pin.rolled_back], secret_env: T_HOOK}
            """;

    private static Http.Response create(TestServer s, String name) {
        return s.http.post("/api/v1/subscriptions", TestConfig.ADMIN, Json.obj("name", name, "url",
                "http://127.0.0.1:9/" + name, "types", List.of(Event.PIN_PROMOTED), "secret", "whsec-limit-test-0b1c2d3e"));
    }

    private static int count(TestServer s) {
        return s.server.store().subscriptions().all().size();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oneSubscriptionBeyondTheLimitIsRefusedAndStoresNothing(StoreKind kind, @TempDir Path dir) {
        try (TestServer s = new TestServer(kind.create(dir), LIMIT_2)) {
            assertThat(create(s, "first").status()).isEqualTo(201);
            Http.Response over = create(s, "second");
            assertThat(over.status()).as(over.body()).isEqualTo(409);
            assertThat(over.code()).isEqualTo("SUBSCRIPTION_LIMIT");
            assertThat(over.json().path("error").asText()).contains("2 subscriptions").contains("max_subscriptions");
            assertThat(count(s)).isEqualTo(2);
            assertThat(s.http.get("/api/v1/subscriptions/second", TestConfig.ADMIN).status()).isEqualTo(404);

            Http.Response taken = create(s, "first");
            assertThat(taken.code()).as("a taken name still says so").isEqualTo("SUBSCRIPTION_EXISTS");

            assertThat(s.http.delete("/api/v1/subscriptions/first", TestConfig.ADMIN).status()).isEqualTo(200);
            assertThat(create(s, "second").status()).as("room again").isEqualTo(201);
            assertThat(count(s)).isEqualTo(2);
        }
    }
}
