package io.lockstep.store;

import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The change description that replicas exchange as PostgreSQL NOTIFY payloads. */
class ChangeTest {
    private static final PinKey A = new PinKey("prod", "platform-agent", "global");
    private static final PinKey B = new PinKey("staging", "claude-code", "eu-west-1");

    @Test
    void pinsSurviveTheTripThroughANotification() {
        Change c = Change.of(Set.of(A, B));
        Change back = Change.decode(c.encode());
        assertThat(back.isEverything()).isFalse();
        assertThat(back.pins()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void everythingAndAnEmptyChangeSurviveToo() {
        assertThat(Change.decode(Change.everything().encode()).isEverything()).isTrue();
        Change empty = Change.decode(Change.of(Set.of()).encode());
        assertThat(empty.pins()).isEmpty();
        assertThat(empty.isEverything()).isFalse();
    }

    @Test
    void whatCannotBeReadMeansReloadEverything() {
        // An older replica sends only its id (no change part), and a garbled part must never be
        // mistaken for "nothing changed".
        assertThat(Change.decode(null).isEverything()).isTrue();
        assertThat(Change.decode("prod/platform-agent").isEverything()).isTrue();
        assertThat(Change.decode("prod//global").isEverything()).isTrue();
    }

    @Test
    void aChangeTooLargeForANotificationBecomesEverything() {
        Set<PinKey> many = new LinkedHashSet<>();
        String longName = "t".repeat(60);
        for (int i = 0; i < Change.MAX_PINS; i++) {
            many.add(new PinKey("prod", longName + i, "global"));
        }
        Change c = Change.of(many);
        assertThat(c.isEverything()).isFalse();
        assertThat(c.encode()).isEqualTo("*"); // 200 keys of ~70 characters exceed the 8000-byte limit
        assertThat(Change.decode(c.encode()).isEverything()).isTrue();

        many.add(new PinKey("prod", "one-more", "global"));
        assertThat(Change.of(many).isEverything()).isTrue();
    }

    @Test
    void mergingKeepsBothSidesAndEverythingWins() {
        assertThat(Change.of(Set.of(A)).merge(Change.of(Set.of(B))).pins()).containsExactlyInAnyOrder(A, B);
        assertThat(Change.of(Set.of(A)).merge(Change.everything()).isEverything()).isTrue();
    }
}
