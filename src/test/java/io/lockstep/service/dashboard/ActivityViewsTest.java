package io.lockstep.service.dashboard;

import io.lockstep.domain.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityViewsTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static Event event(long id, String type, Map<String, Object> data) {
        return new Event(id, type, T, "prod", "hermes", "global", "runtime", "admin", data);
    }

    @Test
    void summariesSayWhatHappenedInOneLine() {
        Map<String, Object> promoted = new LinkedHashMap<>();
        promoted.put("from", Map.of("digest", A, "runtime_version", "v1"));
        promoted.put("to", Map.of("digest", B, "runtime_version", "v2"));
        promoted.put("notes", "line one\nline two");
        assertThat(ActivityViews.summary(event(1, Event.PIN_PROMOTED, promoted)))
                .isEqualTo("Promoted to v2 (bbbbbbbbbbbb) from v1 (aaaaaaaaaaaa); notes: line one line two");

        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("digest", A);
        fleet.put("ratio", 0.5);
        fleet.put("threshold", 0.95);
        fleet.put("instances", 10);
        fleet.put("converged_instances", 5);
        assertThat(ActivityViews.summary(event(2, Event.FLEET_REGRESSED, fleet)))
                .isEqualTo("5 of 10 instances run aaaaaaaaaaaa (50%): regressed (threshold 95%)");

        assertThat(ActivityViews.summary(event(3, Event.PIN_PROMOTED, Map.of("to", Map.of("digest", A),
                "notes", "x".repeat(500))))).hasSize(ActivityViews.MAX_SUMMARY).endsWith("…");
    }

    @Test
    void theOlderLinkKeepsTheFiltersAndTheNewestLinkAppearsOnOlderPages() {
        ActivityView first = ActivityViews.build(List.of(event(9, Event.PIN_PROMOTED, Map.of())), 9L,
                new ActivityView.Filter("pin.promoted", "prod", null, null), List.of("prod"), List.of());
        assertThat(first.olderPath()).isEqualTo("/activity?type=pin.promoted&environment=prod&before=9");
        assertThat(first.newestPath()).isNull();
        assertThat(first.rows().get(0).subject()).isEqualTo("prod / hermes / global");

        ActivityView last = ActivityViews.build(List.of(), null,
                new ActivityView.Filter(null, null, "run time", 5L), List.of("prod"), List.of());
        assertThat(last.olderPath()).isNull();
        assertThat(last.newestPath()).isEqualTo("/activity?group=run+time");
        Event serverTold = new Event(4, Event.RELEASE_REGISTERED, T, null, null, null, "runtime", null, Map.of());
        ActivityView.Row row = ActivityViews.build(List.of(serverTold), null, ActivityView.Filter.NONE, List.of(),
                List.of()).rows().get(0);
        assertThat(row.actor()).isEqualTo("server");
        assertThat(row.subject()).isEqualTo("group runtime");
    }
}
