package io.lockstep.config;

import io.lockstep.domain.FreezeWindow;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code freeze_windows} of an environment: the three forms read, and every mistake one line naming its key. */
class FreezeWindowsConfigTest {
    private static final DatabaseSettings DB = new DatabaseSettings("jdbc:sqlite:unused.db", null, null, 1);
    private static final String PROD = "  - name: prod\n    upstream: staging\n";

    private static LockstepConfig withProd(String windows) {
        return TestConfig.config(DB, null, y -> y.replace(PROD, PROD + "    freeze_windows:\n" + windows));
    }

    private static List<FreezeWindow> prodWindows(String windows) {
        return withProd(windows).environments().stream().filter(e -> e.name().equals("prod")).findFirst().orElseThrow()
                .freezeWindows();
    }

    @Test
    void weeklyDailyAndDatedWindowsAreRead() {
        List<FreezeWindow> w = prodWindows("""
                      - {name: weekend, from: "FRI 16:00", to: "MON 08:00", zone: Europe/Berlin}
                      - {name: nightly, from: "22:00", to: "06:00", zone: UTC}
                      - {name: holidays, start: 2026-12-24T00:00:00+01:00, end: 2027-01-02T00:00:00+01:00}
                """);
        assertThat(w).containsExactly(
                FreezeWindow.weekly("weekend", DayOfWeek.FRIDAY, LocalTime.of(16, 0), DayOfWeek.MONDAY, LocalTime.of(8, 0),
                        ZoneId.of("Europe/Berlin")),
                FreezeWindow.daily("nightly", LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneId.of("UTC")),
                FreezeWindow.once("holidays", OffsetDateTime.parse("2026-12-24T00:00:00+01:00"),
                        OffsetDateTime.parse("2027-01-02T00:00:00+01:00"), null));
        assertThat(withProd("      []\n").environments().get(0).freezeWindows()).isEmpty();
    }

    @Test
    void everyMistakeIsOneConfigErrorNamingTheKey() {
        String at = "environments[1].freeze_windows[0].";
        assertBad("- {name: w, from: \"FRI 16:00\", to: \"MON 08:00\", zone: Europe/Berlinn}", at + "zone", "not a time zone");
        assertBad("- {name: w, from: \"FRI 16:00\", to: \"MON 08:00\"}", at + "zone", "is required for a recurring window");
        assertBad("- {name: w, from: \"FRY 16:00\", to: \"MON 08:00\", zone: UTC}", at + "from", "DAY HH:MM");
        assertBad("- {name: w, from: \"FRI 16:00\", to: \"08:00\", zone: UTC}", at + "to", "both name a day");
        assertBad("- {name: w, from: \"12:00\", to: \"12:00\", zone: UTC}", at + "to", "never open");
        assertBad("- {name: w, to: \"12:00\", zone: UTC}", at + "from", "is required");
        assertBad("- {name: w, start: 2026-12-24, end: 2027-01-02T00:00:00+01:00}", at + "start", "with an offset");
        assertBad("- {name: w, start: 2026-12-24T00:00:00Z, end: 2026-12-23T00:00:00Z}", at + "end", "after start");
        assertBad("- {name: w, start: 2026-12-24T00:00:00Z}", at + "end", "is required");
        assertBad("- {name: w, start: 2026-12-24T00:00:00Z, end: 2026-12-25T00:00:00Z, from: \"12:00\"}", at + "from",
                "takes no from/to");
        assertBad("- {name: w, from: \"12:00\", to: \"13:00\", zone: UTC, cron: \"0 16 * * FRI\"}", at + "cron", "unknown key");
        assertBad("- {from: \"12:00\", to: \"13:00\", zone: UTC}", at + "name", "is required");
        assertBad("- {name: w, from: \"12:00\", to: \"13:00\", zone: UTC}\n      - {name: w, from: \"14:00\", to: \"15:00\", zone: UTC}",
                "environments[1].freeze_windows[1].name", "duplicate");
    }

    private static void assertBad(String window, String key, String problem) {
        assertThatThrownBy(() -> withProd("      " + window + "\n")).as(window).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config error: " + key + ": ").hasMessageContaining(problem);
    }
}
