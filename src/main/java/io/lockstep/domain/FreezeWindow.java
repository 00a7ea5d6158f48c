package io.lockstep.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * A span of time in which an environment takes no promote ({@code freeze_windows} in the configuration).
 * Either <b>recurring</b> in an IANA time zone — weekly ({@code from: "FRI 16:00", to: "MON 08:00"}) or
 * daily ({@code from: "22:00", to: "06:00"}) — or <b>one-off</b> between two dated instants
 * ({@code start}, {@code end}, ISO-8601 with an offset).
 *
 * <p>Recurring times are wall-clock times in {@code zone}: a window from 16:00 Berlin time starts at 16:00
 * in winter and in summer. Across a DST change {@link ZonedDateTime#of} decides: a wall time that does
 * not exist (skipped by the spring change) moves later by the gap, one that exists twice (autumn) is
 * the earlier of the two. The start is inclusive and the end exclusive: at the start it is frozen, at
 * the end it is open again.
 *
 * @param fromDay  for a weekly window the day it starts; null for a daily or one-off window
 * @param from     for a recurring window the wall time it starts; null for a one-off window
 * @param toDay    for a weekly window the day it ends; null for a daily or one-off window
 * @param to       for a recurring window the wall time it ends; null for a one-off window
 * @param start    for a one-off window its first instant; null for a recurring window
 * @param end      for a one-off window the instant it is open again; null for a recurring window
 */
public record FreezeWindow(String name, ZoneId zone, DayOfWeek fromDay, LocalTime from, DayOfWeek toDay, LocalTime to,
                           OffsetDateTime start, OffsetDateTime end) {

    /** One occurrence of a window: it froze at {@code start} and opens again at {@code end} (in the window's zone). */
    public record Occurrence(FreezeWindow window, ZonedDateTime start, ZonedDateTime end) {
    }

    public FreezeWindow {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a freeze window needs a name");
        }
        boolean oneOff = start != null || end != null;
        if (oneOff) {
            if (start == null || end == null || from != null || to != null || fromDay != null || toDay != null) {
                throw new IllegalArgumentException("a dated window has start and end, and neither from nor to");
            }
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("end must be after start");
            }
            zone = zone == null ? end.getOffset() : zone;
        } else {
            if (from == null || to == null || zone == null) {
                throw new IllegalArgumentException("a recurring window has from, to and zone");
            }
            if ((fromDay == null) != (toDay == null)) {
                throw new IllegalArgumentException("from and to must both name a day (weekly) or neither (daily)");
            }
            if (from.equals(to) && (fromDay == null || fromDay == toDay)) {
                // a window as long as its period never opens: that is a stop of the line, not a window
                throw new IllegalArgumentException("from and to are the same time, so the window would never open");
            }
        }
    }

    /** A weekly window, e.g. Friday 16:00 to Monday 08:00 in Europe/Berlin. */
    public static FreezeWindow weekly(String name, DayOfWeek fromDay, LocalTime from, DayOfWeek toDay, LocalTime to, ZoneId zone) {
        return new FreezeWindow(name, zone, fromDay, from, toDay, to, null, null);
    }

    /** A window every day, e.g. 22:00 to 06:00 UTC (it may run past midnight). */
    public static FreezeWindow daily(String name, LocalTime from, LocalTime to, ZoneId zone) {
        return new FreezeWindow(name, zone, null, from, null, to, null, null);
    }

    /** A dated window, e.g. a holiday freeze. */
    public static FreezeWindow once(String name, OffsetDateTime start, OffsetDateTime end, ZoneId zone) {
        return new FreezeWindow(name, zone, null, null, null, null, start, end);
    }

    /**
     * Reads the configuration's recurring time: {@code "HH:MM"} (daily) or {@code "DAY HH:MM"} with
     * {@code DAY} one of MON..SUN (or the full English name), any case. Returns the day (null if none) and time.
     */
    public static DayTime parseDayTime(String text) {
        String s = text == null ? "" : text.strip();
        String[] parts = s.split("\\s+");
        try {
            if (parts.length == 1) {
                return new DayTime(null, LocalTime.parse(parts[0]));
            }
            if (parts.length == 2) {
                return new DayTime(day(parts[0]), LocalTime.parse(parts[1]));
            }
        } catch (DateTimeParseException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("must be \"HH:MM\" or \"DAY HH:MM\" (DAY one of MON TUE WED THU FRI SAT SUN), not \""
                + s + "\"");
    }

    /** A recurring time of the configuration: a day of the week (null: every day) and a wall time. */
    public record DayTime(DayOfWeek day, LocalTime time) {
    }

    private static DayOfWeek day(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(w) || d.name().substring(0, 3).equals(w)) {
                return d;
            }
        }
        throw new DateTimeParseException("not a day", word, 0);
    }

    public boolean recurring() {
        return start == null;
    }

    /**
     * The occurrence of this window that contains {@code now}, if any. Pure: time is an input.
     * A window is shorter than its period (checked when built), so only the occurrence that started
     * last at or before {@code now} can contain it.
     */
    public Optional<Occurrence> activeAt(Instant now) {
        if (!recurring()) {
            return !now.isBefore(start.toInstant()) && now.isBefore(end.toInstant())
                    ? Optional.of(new Occurrence(this, start.atZoneSameInstant(zone), end.atZoneSameInstant(zone)))
                    : Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int back = 0; back <= 7; back++) {
            LocalDate day = today.minusDays(back);
            if (fromDay != null && day.getDayOfWeek() != fromDay) {
                continue;
            }
            ZonedDateTime s = ZonedDateTime.of(day, from, zone);
            if (s.toInstant().isAfter(now)) {
                continue;
            }
            ZonedDateTime e = ZonedDateTime.of(day.plusDays(daysToEnd()), to, zone);
            return now.isBefore(e.toInstant()) ? Optional.of(new Occurrence(this, s, e)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** How many days after the day it starts an occurrence ends. */
    private int daysToEnd() {
        if (fromDay == null) {
            return to.isAfter(from) ? 0 : 1;
        }
        int days = Math.floorMod(toDay.getValue() - fromDay.getValue(), 7);
        return days == 0 && !to.isAfter(from) ? 7 : days;
    }

    /** How the configuration would write it, for messages and the API. */
    public String describe() {
        if (!recurring()) {
            return start + " to " + end;
        }
        String f = (fromDay == null ? "" : fromDay.name().substring(0, 3) + " ") + from;
        String t = (toDay == null ? "" : toDay.name().substring(0, 3) + " ") + to;
        return (fromDay == null ? "every day " : "every week ") + f + " to " + t + " " + zone.getId();
    }
}
