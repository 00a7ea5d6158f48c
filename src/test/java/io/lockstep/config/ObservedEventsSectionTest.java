package io.lockstep.config;

import io.lockstep.service.events.ObservedEvents;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code events.drift_interval} and {@code events.fleet_converged_at}: defaults, values, and one precise error each. */
class ObservedEventsSectionTest {
    private static final DatabaseSettings DB = new DatabaseSettings("jdbc:sqlite:/tmp/never-opened.db", null, null, 4);

    private static ObservedEvents.Settings settings(String yaml) {
        return ObservedEventsSection.parse(TestConfig.config(DB, yaml).root().get("events"));
    }

    @Test
    void defaultsAreThirtySecondsAndNinetyFivePercent() {
        assertThat(settings(null)).isEqualTo(new ObservedEvents.Settings(Duration.ofSeconds(30), 0.95));
        assertThat(settings("events: {drift_interval: 5m, fleet_converged_at: 1}\n"))
                .isEqualTo(new ObservedEvents.Settings(Duration.ofMinutes(5), 1.0));
        assertThat(settings("events: {drift_interval: 0s}\n").interval()).isZero();
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> TestConfig.config(DB, "events: {fleet_converged_at: 1.5}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.fleet_converged_at");
        assertThatThrownBy(() -> TestConfig.config(DB, "events: {fleet_converged_at: 0}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.fleet_converged_at");
        assertThatThrownBy(() -> TestConfig.config(DB, "events: {drift_interval: 50ms}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.drift_interval")
                .hasMessageContaining("at least 100ms");
        assertThatThrownBy(() -> TestConfig.config(DB, "events: {drift_intervall: 1m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("drift_intervall");
    }
}
