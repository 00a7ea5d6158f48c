package io.lockstep.wire;

import io.lockstep.domain.Events;
import io.lockstep.domain.FreezeState;
import io.lockstep.domain.FreezeWindow;
import io.lockstep.domain.LineStop;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat sentence of the freeze events (Slack format): a person reads what froze, why, and until when. */
class WebhookSentenceTest {
    private static final Instant T = Instant.parse("2026-12-04T15:00:00Z");

    @Test
    void aFreezeWindowSaysWhichWindowAndUntilWhen() {
        FreezeWindow night = FreezeWindow.daily("night", LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneId.of("UTC"));
        assertThat(WebhookJson.sentence(Events.freezeWindowStarted("prod", night, T, T.plusSeconds(3600))))
                .isEqualTo("prod is frozen by freeze window night until 2026-12-04T16:00:00Z.");
        FreezeState told = new FreezeState("prod", "night", true, T, T.plusSeconds(3600), T);
        assertThat(WebhookJson.sentence(Events.freezeWindowLifted(told, T.plusSeconds(3600), "the window closed")))
                .isEqualTo("prod is no longer frozen by freeze window night (the window closed).");
    }

    @Test
    void aStopOfTheLineSaysWhoAndWhy() {
        LineStop stop = new LineStop("s1", "prod", "runtime", "incident 4711", "ci", T, null);
        assertThat(WebhookJson.sentence(Events.freezeStarted(stop)))
                .isEqualTo("The line was stopped in prod for group runtime by ci: incident 4711.");
        LineStop lifted = new LineStop("s1", "prod", null, "incident 4711", "ci", T, null, T.plusSeconds(60), "admin", "fixed");
        assertThat(WebhookJson.sentence(Events.freezeLifted(lifted))).isEqualTo("The line stop in prod was lifted by admin.");
    }
}
