package io.lockstep.domain.webhook;

import io.lockstep.domain.Event;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure rules of webhooks: where they may go, what a subscription wants, backoff, signatures. */
class WebhookRulesTest {
    private static Subscription sub(String url) {
        return new Subscription("hook", url, List.of(Event.PIN_PROMOTED), List.of(), List.of(), WebhookFormat.LOCKSTEP,
                "0123456789abcdef0123", Subscription.FROM_API);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: never a lookup
    }

    @Test
    void loopbackIsRefusedUnlessAllowedAndLinkLocalAndMetadataAlways() throws Exception {
        AddressPolicy strict = AddressPolicy.STRICT;
        AddressPolicy loopbackOk = new AddressPolicy(true, Set.of());
        assertThat(strict.refuse("127.0.0.1", ip("127.0.0.1"))).get().asString().contains("loopback");
        assertThat(strict.refuse("::1", ip("::1"))).isPresent();
        assertThat(strict.refuseName("localhost")).isPresent();
        assertThat(loopbackOk.refuse("127.0.0.1", ip("127.0.0.1"))).isEmpty();
        assertThat(loopbackOk.refuseName("localhost")).isEmpty();
        for (AddressPolicy p : List.of(strict, loopbackOk)) {
            assertThat(p.refuse("169.254.169.254", ip("169.254.169.254"))).get().asString().contains("link-local");
            assertThat(p.refuse("fe80::1", ip("fe80::1"))).get().asString().contains("link-local");
            assertThat(p.refuse("::ffff:169.254.169.254", ip("::ffff:169.254.169.254"))).isPresent();
            assertThat(p.refuse("100.100.100.200", ip("100.100.100.200"))).get().asString().contains("metadata");
            assertThat(p.refuse("fd00:ec2::254", ip("fd00:ec2::254"))).get().asString().contains("metadata");
            assertThat(p.refuseName("metadata.google.internal")).isPresent();
            assertThat(p.refuse("0.0.0.0", ip("0.0.0.0"))).isPresent();
            assertThat(p.refuse("224.0.0.1", ip("224.0.0.1"))).isPresent();
            // private networks are where an internal control plane's receivers live
            assertThat(p.refuse("10.1.2.3", ip("10.1.2.3"))).isEmpty();
            assertThat(p.refuse("192.168.1.10", ip("192.168.1.10"))).isEmpty();
            assertThat(p.refuse("203.0.113.7", ip("203.0.113.7"))).isEmpty();
        }
        // the allow list names hosts let through anyway
        assertThat(new AddressPolicy(false, Set.of("169.254.10.10")).refuse("169.254.10.10", ip("169.254.10.10")))
                .isEmpty();
    }

    @Test
    void rulesNameTheFieldAndRefuseForbiddenLiterals() {
        List<String> envs = List.of("staging", "prod");
        assertThat(SubscriptionRules.check(sub("https://hooks.example.com/x"), envs, AddressPolicy.STRICT).getHost())
                .isEqualTo("hooks.example.com");
        assertThatThrownBy(() -> SubscriptionRules.check(sub("gopher://x/"), envs, AddressPolicy.STRICT))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> SubscriptionRules.check(sub("http://[fe80::1%25eth0]/"), envs, AddressPolicy.STRICT))
                .isInstanceOf(LockstepException.class);
        assertThatThrownBy(() -> SubscriptionRules.check(sub("http://127.0.0.1:9/"), envs, AddressPolicy.STRICT))
                .hasMessageContaining("loopback").hasMessageContaining("allow_loopback");
        assertThat(SubscriptionRules.check(sub("http://127.0.0.1:9/"), envs, new AddressPolicy(true, Set.of())))
                .isNotNull();
        assertThatThrownBy(() -> SubscriptionRules.format("xml")).hasMessageContaining("lockstep, cloudevents, slack");
        assertThat(SubscriptionRules.format(null)).isEqualTo(WebhookFormat.LOCKSTEP);
    }

    @Test
    void aSubscriptionWantsItsTypesEnvironmentsAndGroupsOnly() {
        Subscription s = new Subscription("h", "https://x/", List.of(Event.PIN_PROMOTED), List.of("prod"),
                List.of("runtime"), WebhookFormat.LOCKSTEP, "0123456789abcdef", Subscription.FROM_API);
        Instant t = Instant.parse("2026-11-30T08:00:00Z");
        assertThat(s.wants(Event.of(Event.PIN_PROMOTED, t, new PinKey("prod", "a", "global"), "runtime", null, Map.of())))
                .isTrue();
        assertThat(s.wants(Event.of(Event.PIN_ROLLED_BACK, t, new PinKey("prod", "a", "global"), "runtime", null,
                Map.of()))).isFalse();
        assertThat(s.wants(Event.of(Event.PIN_PROMOTED, t, new PinKey("staging", "a", "global"), "runtime", null,
                Map.of()))).isFalse();
        assertThat(s.wants(Event.of(Event.PIN_PROMOTED, t, new PinKey("prod", "a", "global"), "other", null,
                Map.of()))).isFalse();
        assertThat(s.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void backoffGrowsIsCappedJittersAndHonoursRetryAfter() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(b.after(1, 0.0, null)).isEqualTo(Duration.ofMillis(50));
        assertThat(b.after(1, 0.999, null)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(b.after(3, 0.0, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.after(40, 1.0, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.after(1, 0.0, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.after(40, 1.0, Duration.ofMillis(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.after(1, 0.0, Duration.ofDays(3))).isEqualTo(Backoff.MAX_RETRY_AFTER);
    }

    @Test
    void theSignatureIsTheHmacOfTimestampDotBodyAsOpensslComputesIt() {
        // printf '%s' '1700000000.{"id":1}' | openssl dgst -sha256 -hmac 'whsec-0123456789abcdef'
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256=139d89016db745c75bf654476b1450b5650c0885f51ba9dae48257ca45752295";
        assertThat(WebhookSignature.sign("whsec-0123456789abcdef", 1700000000L, body)).isEqualTo(expected);
        assertThat(WebhookSignature.verify("whsec-0123456789abcdef", 1700000000L, body, expected)).isTrue();
        assertThat(WebhookSignature.verify("whsec-0123456789abcdef", 1700000001L, body, expected)).isFalse();
        assertThat(WebhookSignature.verify("another-secret-0000", 1700000000L, body, expected)).isFalse();
    }
}
