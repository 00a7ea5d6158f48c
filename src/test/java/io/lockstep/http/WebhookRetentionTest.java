package io.lockstep.http;

import io.lockstep.domain.Event;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import io.lockstep.testing.WebhookReceiver.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code events.retention} on both stores, with the server's clock moved forward (no sleeping): old events go,
 * but never one a subscription has not delivered yet. The receiver is real ({@link WebhookReceiver}).
 */
class WebhookRetentionTest {
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(WebhookDeliveryTest.WEBHOOKS + "  retention: 7d\n");

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oldEventsGoOnlyOnceEverySubscriptionHasDeliveredThem(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        Api.promoteOk(s, template, Unique.digest()); // before any subscription: nobody waits for it
        long beforeSubscriptions = s.server.store().lastEventId();

        String path = "/" + Unique.name("down");
        AtomicBoolean down = new AtomicBoolean(true);
        RECEIVER.answer(path, n -> down.get() ? Answer.status(500) : Answer.OK);
        WebhookDeliveryTest.subscribeOkAt(s, RECEIVER, Unique.name("sub"), path, group);
        Api.promoteOk(s, template, Unique.digest());
        Api.promoteOk(s, template, Unique.digest());
        List<Long> waiting = WebhookDeliveryTest.promotedIds(s, group).subList(1, 3);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> !RECEIVER.at(path).isEmpty())).isTrue();

        s.clock.advance(Duration.ofDays(8));
        Api.promoteOk(s, template, Unique.digest());
        long newest = s.server.store().lastEventId();

        s.server.eventRetention().purge();
        List<Long> kept = s.server.store().eventsAfter(0, 10_000).stream().map(Event::id).toList();
        assertThat(kept).doesNotContain(beforeSubscriptions).contains(waiting.get(0), waiting.get(1), newest);

        down.set(false);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(15), () -> RECEIVER.at(path).stream()
                .anyMatch(r -> r.header("X-Lockstep-Event-Id").equals(Long.toString(newest))))).isTrue();
        assertThat(WebhookReceiver.await(Duration.ofSeconds(5), () -> {
            s.server.eventRetention().purge();
            List<Long> left = s.server.store().eventsAfter(0, 10_000).stream().map(Event::id).toList();
            return !left.contains(waiting.get(0)) && !left.contains(waiting.get(1)) && left.contains(newest);
        })).isTrue();
    }
}
