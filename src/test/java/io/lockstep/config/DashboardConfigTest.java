package io.lockstep.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code dashboard} section: defaults, the session TTL's bounds, and unknown keys refused at load. */
class DashboardConfigTest {
    private static LockstepConfig load(String yaml) throws Exception {
        return ConfigLoader.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(
                "environments: [{name: staging}]\n" + yaml), ""), Map.of());
    }

    private static DashboardSection section(String yaml) throws Exception {
        return DashboardSection.parse(load(yaml).root());
    }

    @Test
    void onWithAnEightHourSessionByDefault() throws Exception {
        assertThat(section("")).isEqualTo(new DashboardSection(true, Duration.ofHours(8)));
        assertThat(section("dashboard: {enabled: false, session_ttl: 30m}\n"))
                .isEqualTo(new DashboardSection(false, Duration.ofMinutes(30)));
    }

    @Test
    void aTtlOutsideOneMinuteToThirtyDaysOrAnUnknownKeyIsRefusedAtLoad() {
        assertThatThrownBy(() -> load("dashboard: {session_ttl: 30s}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.session_ttl");
        assertThatThrownBy(() -> load("dashboard: {session_ttl: 31d}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.session_ttl");
        assertThatThrownBy(() -> load("dashboard: {session_tll: 1h}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("session_tll");
    }
}
