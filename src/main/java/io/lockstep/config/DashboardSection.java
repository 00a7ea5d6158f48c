package io.lockstep.config;

import java.time.Duration;

/**
 * {@code dashboard}: the browser dashboard served at {@code /} (issue 14).
 *
 * @param enabled    false: no dashboard routes at all (the JSON API is unchanged either way)
 * @param sessionTtl how long a sign-in lasts; the cookie's Max-Age and the stored session's expiry
 */
public record DashboardSection(boolean enabled, Duration sessionTtl) {
    public static final DashboardSection DEFAULT = new DashboardSection(true, Duration.ofHours(8));

    /** Reads {@code dashboard} of the configuration document {@code root}. */
    public static DashboardSection parse(ConfigNode root) {
        ConfigNode d = root.get("dashboard").requireObject();
        d.allowOnly("enabled", "session_ttl");
        boolean enabled = d.bool("enabled", DEFAULT.enabled());
        Duration ttl = d.duration("session_ttl", DEFAULT.sessionTtl());
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new ConfigException("dashboard.session_ttl", "must be from 1m to 30d");
        }
        return new DashboardSection(enabled, ttl);
    }
}
