package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a freeze window is active, with time as an input: edges, overnight, across a week and across DST. */
class FreezeWindowTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final FreezeWindow WEEKEND = FreezeWindow.weekly("weekend", DayOfWeek.FRIDAY, LocalTime.of(16, 0),
            DayOfWeek.MONDAY, LocalTime.of(8, 0), BERLIN);
    private static final FreezeWindow NIGHTLY = FreezeWindow.daily("nightly", LocalTime.of(22, 0), LocalTime.of(6, 0),
            ZoneOffset.UTC);
    private static final FreezeWindow HOLIDAYS = FreezeWindow.once("holidays",
            OffsetDateTime.parse("2026-12-24T00:00:00+01:00"), OffsetDateTime.parse("2027-01-02T00:00:00+01:00"), null);

    private static Optional<FreezeWindow.Occurrence> at(FreezeWindow w, String instant) {
        return w.activeAt(Instant.parse(instant));
    }

    private static String end(FreezeWindow w, String instant) {
        return at(w, instant).orElseThrow(() -> new AssertionError("not frozen at " + instant)).end().toOffsetDateTime().toString();
    }

    @Test
    void aWeeklyWindowIsFrozenFromItsStartInclusiveToItsEndExclusiveAcrossTheWeekend() {
        // Friday 2026-12-04 16:00 Berlin is 15:00Z; Monday 2026-12-07 08:00 Berlin is 07:00Z
        assertThat(at(WEEKEND, "2026-12-04T14:59:59Z")).isEmpty();
        assertThat(end(WEEKEND, "2026-12-04T15:00:00Z")).isEqualTo("2026-12-07T08:00+01:00");
        assertThat(at(WEEKEND, "2026-12-04T15:00:00Z").orElseThrow().start().toOffsetDateTime())
                .hasToString("2026-12-04T16:00+01:00");
        assertThat(end(WEEKEND, "2026-12-05T12:00:00Z")).isEqualTo("2026-12-07T08:00+01:00");
        assertThat(end(WEEKEND, "2026-12-06T23:30:00Z")).isEqualTo("2026-12-07T08:00+01:00");
        assertThat(end(WEEKEND, "2026-12-07T06:59:59Z")).isEqualTo("2026-12-07T08:00+01:00");
        assertThat(at(WEEKEND, "2026-12-07T07:00:00Z")).isEmpty();
        assertThat(at(WEEKEND, "2026-12-02T12:00:00Z")).isEmpty(); // a Wednesday
        assertThat(at(WEEKEND, "2026-12-04T12:00:00Z")).isEmpty(); // Friday morning
    }

    @Test
    void aDailyWindowRunsOverMidnight() {
        assertThat(at(NIGHTLY, "2026-11-30T21:59:59Z")).isEmpty();
        assertThat(end(NIGHTLY, "2026-11-30T22:00:00Z")).isEqualTo("2026-12-01T06:00Z");
        assertThat(end(NIGHTLY, "2026-12-01T03:00:00Z")).isEqualTo("2026-12-01T06:00Z");
        assertThat(at(NIGHTLY, "2026-12-01T03:00:00Z").orElseThrow().start().toOffsetDateTime())
                .hasToString("2026-11-30T22:00Z");
        assertThat(at(NIGHTLY, "2026-12-01T06:00:00Z")).isEmpty();
        assertThat(at(NIGHTLY, "2026-12-01T12:00:00Z")).isEmpty();
    }

    @Test
    void aDailyWindowWithinOneDay() {
        FreezeWindow lunch = FreezeWindow.daily("lunch", LocalTime.of(12, 0), LocalTime.of(13, 0), BERLIN);
        assertThat(end(lunch, "2026-11-30T11:00:00Z")).isEqualTo("2026-11-30T13:00+01:00");
        assertThat(at(lunch, "2026-11-30T12:00:00Z")).isEmpty();
        assertThat(at(lunch, "2026-11-30T10:59:59Z")).isEmpty();
    }

    @Test
    void theSpringDstChangeInTheWindowsZoneMovesTheEndByTheWallClock() {
        // Berlin goes from +01:00 to +02:00 on Sunday 2027-03-28: Monday 08:00 is 06:00Z, not 07:00Z
        assertThat(end(WEEKEND, "2027-03-26T15:00:00Z")).isEqualTo("2027-03-29T08:00+02:00");
        assertThat(end(WEEKEND, "2027-03-29T05:59:59Z")).isEqualTo("2027-03-29T08:00+02:00");
        assertThat(at(WEEKEND, "2027-03-29T06:00:00Z")).isEmpty();
        assertThat(at(WEEKEND, "2027-03-26T14:59:59Z")).isEmpty(); // Friday 16:00 is still +01:00
    }

    @Test
    void theAutumnDstChangeInTheWindowsZoneMovesTheEndByTheWallClock() {
        // Berlin goes from +02:00 to +01:00 on Sunday 2026-10-25: Friday 16:00 is 14:00Z, Monday 08:00 is 07:00Z
        assertThat(at(WEEKEND, "2026-10-23T13:59:59Z")).isEmpty();
        assertThat(end(WEEKEND, "2026-10-23T14:00:00Z")).isEqualTo("2026-10-26T08:00+01:00");
        assertThat(end(WEEKEND, "2026-10-26T06:30:00Z")).isEqualTo("2026-10-26T08:00+01:00");
        assertThat(at(WEEKEND, "2026-10-26T07:00:00Z")).isEmpty();
    }

    @Test
    void aDailyStartSkippedBySpringForwardMovesLaterByTheGap() {
        FreezeWindow early = FreezeWindow.daily("early", LocalTime.of(2, 30), LocalTime.of(5, 0), BERLIN);
        // 02:30 does not exist on 2027-03-28 in Berlin; the window starts at 03:30+02:00 (01:30Z)
        assertThat(at(early, "2027-03-28T01:29:59Z")).isEmpty();
        assertThat(at(early, "2027-03-28T01:30:00Z").orElseThrow().start().toOffsetDateTime())
                .hasToString("2027-03-28T03:30+02:00");
        assertThat(at(early, "2027-03-28T03:00:00Z")).isEmpty(); // 05:00+02:00
    }

    @Test
    void aDatedWindowIsFrozenFromStartToEndOnly() {
        assertThat(at(HOLIDAYS, "2026-12-23T22:59:59Z")).isEmpty();
        assertThat(end(HOLIDAYS, "2026-12-23T23:00:00Z")).isEqualTo("2027-01-02T00:00+01:00");
        assertThat(end(HOLIDAYS, "2027-01-01T22:59:59Z")).isEqualTo("2027-01-02T00:00+01:00");
        assertThat(at(HOLIDAYS, "2027-01-01T23:00:00Z")).isEmpty();
        FreezeWindow shownInBerlin = FreezeWindow.once("h", OffsetDateTime.parse("2026-12-24T00:00:00Z"),
                OffsetDateTime.parse("2026-12-25T00:00:00Z"), BERLIN);
        assertThat(end(shownInBerlin, "2026-12-24T12:00:00Z")).isEqualTo("2026-12-25T01:00+01:00");
    }

    @Test
    void aWeeklyWindowStartingAndEndingOnTheSameDayWrapsOnlyWhenTheEndIsEarlier() {
        FreezeWindow week = FreezeWindow.weekly("long", DayOfWeek.MONDAY, LocalTime.of(12, 0), DayOfWeek.MONDAY,
                LocalTime.of(8, 0), ZoneOffset.UTC);
        assertThat(end(week, "2026-12-03T00:00:00Z")).isEqualTo("2026-12-07T08:00Z");
        assertThat(at(week, "2026-12-07T10:00:00Z")).isEmpty();
        FreezeWindow morning = FreezeWindow.weekly("mon", DayOfWeek.MONDAY, LocalTime.of(8, 0), DayOfWeek.MONDAY,
                LocalTime.of(12, 0), ZoneOffset.UTC);
        assertThat(end(morning, "2026-11-30T09:00:00Z")).isEqualTo("2026-11-30T12:00Z");
        assertThat(at(morning, "2026-12-01T09:00:00Z")).isEmpty();
    }

    @Test
    void dayTimesReadShortAndLongDayNamesInAnyCase() {
        assertThat(FreezeWindow.parseDayTime("FRI 16:00")).isEqualTo(new FreezeWindow.DayTime(DayOfWeek.FRIDAY, LocalTime.of(16, 0)));
        assertThat(FreezeWindow.parseDayTime("friday 16:00")).isEqualTo(new FreezeWindow.DayTime(DayOfWeek.FRIDAY, LocalTime.of(16, 0)));
        assertThat(FreezeWindow.parseDayTime(" 06:00 ")).isEqualTo(new FreezeWindow.DayTime(null, LocalTime.of(6, 0)));
        for (String bad : new String[] {"FRI 25:00", "FRY 16:00", "16", "", "FRI 16:00 UTC"}) {
            assertThatThrownBy(() -> FreezeWindow.parseDayTime(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HH:MM");
        }
    }

    @Test
    void aWindowThatWouldNeverOpenIsRefused() {
        assertThatThrownBy(() -> FreezeWindow.daily("all", LocalTime.NOON, LocalTime.NOON, ZoneOffset.UTC))
                .hasMessageContaining("never open");
        assertThatThrownBy(() -> FreezeWindow.weekly("all", DayOfWeek.FRIDAY, LocalTime.NOON, DayOfWeek.FRIDAY,
                LocalTime.NOON, ZoneOffset.UTC)).hasMessageContaining("never open");
        assertThatThrownBy(() -> FreezeWindow.once("back", OffsetDateTime.parse("2026-12-24T00:00:00Z"),
                OffsetDateTime.parse("2026-12-23T00:00:00Z"), null)).hasMessageContaining("after start");
    }
}
