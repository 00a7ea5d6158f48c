package io.lockstep.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.WebhookFormat;
import io.lockstep.domain.webhook.WebhookSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code events} section: retention, webhook settings and subscriptions, each mistake naming its key. */
class EventsConfigTest {
    private static final Map<String, String> ENV = Map.of("HOOK_SECRET", "s3cret-s3cret-s3cret-42");

    private static LockstepConfig parse(String yaml) throws Exception {
        return ConfigLoader.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(
                "environments: [{name: staging}, {name: prod, upstream: staging}]\n" + yaml), ""), ENV);
    }

    @Test
    void defaultsWithoutTheSection() throws Exception {
        WebhookSettings w = parse("").webhooks();
        assertThat(w.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(w.addresses().allowLoopback()).isFalse();
        assertThat(w.configured()).isEmpty();
    }

    @Test
    void subscriptionsTakeTheirSecretFromTheEnvironment() throws Exception {
        WebhookSettings w = parse("""
                events:
                  retention: 3d
                  webhooks: {allow_loopback: true, backoff_initial: 2s, backoff_max: 1m, failing_after: 7}
                  subscriptions:
                    - name: chat
                      url: https://hooks.example.com/services/T/B/X
                      types: [pin.promoted, pin.rolled_back]
                      environments: [prod]
                      format: slack
                      secret_env: HOOK_SECRET
                """).webhooks();
        assertThat(w.retention()).isEqualTo(Duration.ofDays(3));
        assertThat(w.failingAfter()).isEqualTo(7);
        assertThat(w.backoff().initial()).isEqualTo(Duration.ofSeconds(2));
        Subscription s = w.configured().get(0);
        assertThat(s.name()).isEqualTo("chat");
        assertThat(s.format()).isEqualTo(WebhookFormat.SLACK);
        assertThat(s.secret()).isEqualTo("s3cret-s3cret-s3cret-42");
        assertThat(s.environments()).containsExactly("prod");
        assertThat(s.source()).isEqualTo("config");
    }

    @Test
    void theSubscriptionLimitDefaultsTo100AndAFileDefiningMoreDoesNotStart() throws Exception {
        assertThat(parse("").webhooks().maxSubscriptions()).isEqualTo(100);
        String two = """
                events:
                  webhooks: {max_subscriptions: %d}
                  subscriptions:
                    - {name: a, url: "https://a.example/", types: [pin.promoted], secret_env: HOOK_SECRET}
                    - {name: b, url: "https://b.example/", types: [pin.promoted], secret_env: HOOK_SECRET}
                """;
        assertThat(parse(two.formatted(2)).webhooks().maxSubscriptions()).isEqualTo(2);
        assertThatThrownBy(() -> parse(two.formatted(1))).hasMessageContaining("events.webhooks.max_subscriptions")
                .hasMessageContaining("defines 2 subscriptions");
        assertThatThrownBy(() -> parse(two.formatted(0))).hasMessageContaining("events.webhooks.max_subscriptions");
    }

    @Test
    void mistakesNameTheirKey() {
        String sub = "events:\n  subscriptions:\n    - {name: a, url: %s, types: %s, format: %s, secret_env: %s}\n";
        assertThatThrownBy(() -> parse(sub.formatted("https://x.example/", "[pin.promoted]", "lockstep", "NOPE")))
                .hasMessageContaining("events.subscriptions[0].secret_env").hasMessageContaining("NOPE is not set");
        assertThatThrownBy(() -> parse(sub.formatted("https://x.example/", "[pin.promotd]", "lockstep", "HOOK_SECRET")))
                .hasMessageContaining("events.subscriptions[0]").hasMessageContaining("pin.promotd");
        assertThatThrownBy(() -> parse(sub.formatted("http://127.0.0.1:9/", "[pin.promoted]", "lockstep", "HOOK_SECRET")))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> parse(sub.formatted("http://169.254.169.254/", "[pin.promoted]", "lockstep",
                "HOOK_SECRET"))).hasMessageContaining("link-local");
        assertThatThrownBy(() -> parse(sub.formatted("https://x.example/", "[pin.promoted]", "teams", "HOOK_SECRET")))
                .hasMessageContaining("teams");
        assertThatThrownBy(() -> parse("events: {retention: forever}")).hasMessageContaining("events.retention");
        assertThatThrownBy(() -> parse("events: {webhooks: {lease: 1s}}")).hasMessageContaining("events.webhooks.lease");
        assertThatThrownBy(() -> parse("events: {webhooks: {colour: red}}"))
                .hasMessageContaining("events.webhooks.colour");
        assertThatThrownBy(() -> parse("events:\n  subscriptions:\n"
                + "    - {name: a, url: 'https://x.example/', types: [pin.promoted], secret_env: HOOK_SECRET}\n"
                + "    - {name: a, url: 'https://y.example/', types: [pin.promoted], secret_env: HOOK_SECRET}\n"))
                .hasMessageContaining("duplicate subscription a");
    }
}
