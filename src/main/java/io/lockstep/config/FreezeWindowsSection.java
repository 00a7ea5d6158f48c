package io.lockstep.config;

import io.lockstep.domain.FreezeWindow;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An environment's {@code freeze_windows}: recurring ({@code name, from, to, zone}) or dated
 * ({@code name, start, end}, optional {@code zone} for how the end is shown). Each mistake is one
 * {@link ConfigException} naming the key, e.g. {@code environments[1].freeze_windows[0].zone}.
 */
final class FreezeWindowsSection {
    private FreezeWindowsSection() {
    }

    static List<FreezeWindow> parse(ConfigNode list) {
        List<FreezeWindow> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode w : list.list()) {
            w.requireObject();
            w.allowOnly("name", "from", "to", "zone", "start", "end");
            String name = w.requireString("name");
            if (!names.add(name)) {
                throw new ConfigException(w.path() + ".name", "duplicate freeze window " + name);
            }
            ZoneId zone = zone(w);
            boolean dated = w.get("start").isPresent() || w.get("end").isPresent();
            if (dated) {
                for (String recurringKey : List.of("from", "to")) {
                    if (w.get(recurringKey).isPresent()) {
                        throw new ConfigException(w.path() + "." + recurringKey,
                                "a dated window (start, end) takes no from/to; write two windows");
                    }
                }
                OffsetDateTime start = instant(w, "start");
                OffsetDateTime end = instant(w, "end");
                if (!end.isAfter(start)) {
                    throw new ConfigException(w.path() + ".end", "must be after start");
                }
                out.add(FreezeWindow.once(name, start, end, zone));
                continue;
            }
            if (zone == null) {
                throw new ConfigException(w.path() + ".zone", "is required for a recurring window (an IANA name such as"
                        + " Europe/Berlin or UTC)");
            }
            FreezeWindow.DayTime from = dayTime(w, "from");
            FreezeWindow.DayTime to = dayTime(w, "to");
            if ((from.day() == null) != (to.day() == null)) {
                throw new ConfigException(w.path() + ".to", "from and to must both name a day (weekly) or neither (daily)");
            }
            try {
                out.add(new FreezeWindow(name, zone, from.day(), from.time(), to.day(), to.time(), null, null));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(w.path() + ".to", e.getMessage());
            }
        }
        return out;
    }

    private static ZoneId zone(ConfigNode w) {
        String text = w.string("zone", null);
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new ConfigException(w.path() + ".zone", "is not a time zone: \"" + text
                    + "\" (use an IANA name such as Europe/Berlin or UTC)");
        }
    }

    private static FreezeWindow.DayTime dayTime(ConfigNode w, String key) {
        String text = w.requireString(key);
        try {
            return FreezeWindow.parseDayTime(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(w.path() + "." + key, e.getMessage());
        }
    }

    private static OffsetDateTime instant(ConfigNode w, String key) {
        String text = w.requireString(key);
        try {
            return OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ConfigException(w.path() + "." + key, "must be a date and time with an offset, e.g."
                    + " 2026-12-24T00:00:00+01:00, not \"" + text + "\"");
        }
    }
}
