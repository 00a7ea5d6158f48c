package io.lockstep.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonTest {
    @Test
    void anEventSurvivesTheRoundTripAndCarriesItsVersion() throws Exception {
        Event e = Event.of(Event.DRIFT_CHANGED, Instant.parse("2026-11-30T08:00:00Z"),
                new PinKey("prod", "claude-code", "default"), "runtime", null,
                Map.of("from", "in_flight", "to", "stuck", "reasons", List.of("behind staging for 3h")))
                .withId(42);
        String text = EventJson.text(e);
        assertThat(text).startsWith("{\"id\":42,\"version\":1,\"type\":\"drift.changed\",\"time\":\"2026-11-30T08:00:00Z\"");
        Event back = EventJson.read(new ObjectMapper().readTree(text));
        assertThat(back).isEqualTo(e);
    }
}
