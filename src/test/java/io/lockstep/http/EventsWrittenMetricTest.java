package io.lockstep.http;

import io.lockstep.domain.Event;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockstep_events_written_total{type}} on both stores: each committed promote adds its event's type once,
 * a refused promote (nothing committed, no event) adds nothing, and the count grows exactly as the outbox does.
 */
class EventsWrittenMetricTest {
    // Observed events off: the test counts exactly the events its own writes cause.
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void committedEventsAreCountedByTypeAndRefusedWritesAreNot(StoreKind kind) {
        TestServer s = servers.of(kind);
        String template = Api.newTemplate(s, Unique.name("grp"));
        double before = written(s, Event.PIN_PROMOTED);
        long outboxBefore = promotedInOutbox(s);

        Api.promoteOk(s, template, Unique.digest());
        Api.promoteOk(s, template, Unique.digest());
        Api.promoteOk(s, template, Unique.digest());
        assertThat(Api.promote(s, Unique.name("no-such-template"), Unique.digest()).status()).isEqualTo(422);
        assertThat(Api.promote(s, template, "not-a-digest").status()).isEqualTo(400);

        assertThat(written(s, Event.PIN_PROMOTED)).isEqualTo(before + 3);
        assertThat(promotedInOutbox(s) - outboxBefore).isEqualTo(3);
    }

    /** The counter's value from {@code /metrics} (0 before its first event). */
    private static double written(TestServer s, String type) {
        String body = s.http.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^lockstep_events_written_total\\{type=\"" + Pattern.quote(type)
                + "\"} ([0-9.E]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long promotedInOutbox(TestServer s) {
        return s.server.store().eventsAfter(0, 100_000).stream().filter(e -> e.type().equals(Event.PIN_PROMOTED))
                .count();
    }
}
