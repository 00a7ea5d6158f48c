package io.lockstep.http;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas on one PostgreSQL, both running delivery workers for the same subscription: the lease gives
 * each subscription to one replica at a time, so under normal operation the receiver (a real HTTP server on
 * loopback, {@link WebhookReceiver}) counts every event exactly once, in order; when one replica stops, the
 * other delivers what follows. (Takeover from a replica killed with its lease held is by lease expiry and
 * is exercised by the real jar in {@code WebhookReplicaCrashIT}.)
 */
class WebhookReplicasTest {

    @Test
    void eachEventIsDeliveredOnceByOneReplicaAndTheOtherTakesOverWhenItStops() {
        DatabaseSettings db = TestDatabases.freshPostgres();
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestServer a = new TestServer(db, WebhookDeliveryTest.WEBHOOKS);
             TestServer b = new TestServer(db, WebhookDeliveryTest.WEBHOOKS)) {
            String group = Unique.name("grp");
            String template = Api.newTemplate(a, group);
            String path = "/" + Unique.name("replicas");
            WebhookDeliveryTest.subscribeOkAt(a, receiver, Unique.name("sub"), path, group);
            for (int i = 0; i < 100; i++) {
                Api.promoteOk(i % 2 == 0 ? a : b, template, Unique.digest());
            }
            List<Long> expected = WebhookDeliveryTest.promotedIds(a, group);
            assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> receiver.at(path).size() >= 100)).isTrue();
            // a moment more for any duplicate still in flight to show up
            WebhookReceiver.await(Duration.ofMillis(1500), () -> receiver.at(path).size() > 100);
            List<Long> got = WebhookDeliveryTest.verifiedIdsWith(receiver, path, WebhookDeliveryTest.SECRET);
            assertThat(got).containsExactlyElementsOf(expected);

            // Replica a stops (gracefully: it releases its leases); b delivers what follows.
            a.close();
            for (int i = 0; i < 5; i++) {
                Api.promoteOk(b, template, Unique.digest());
            }
            List<Long> all = WebhookDeliveryTest.promotedIds(b, group);
            assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> new HashSet<>(
                    WebhookDeliveryTest.verifiedIdsWith(receiver, path, WebhookDeliveryTest.SECRET))
                    .containsAll(all))).isTrue();
        }
    }
}
