package io.lockstep.service;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PinSnapshotTest {
    private static Pin pin(String env, String template, String region, String digest) {
        return new Pin(new PinKey(env, template, region), digest, "r/" + template + "@" + digest, null, null,
                Instant.EPOCH, "ci", null, Map.of(), 1);
    }

    private static List<String> keys(List<Pin> pins) {
        return pins.stream().map(p -> p.key().environment() + "/" + p.key().template() + "/" + p.key().region()).toList();
    }

    @Test
    void pinsIterateInEnvironmentTemplateRegionOrderAfterEveryKindOfChange() {
        PinSnapshot s = new PinSnapshot(List.of(), List.of(pin("staging", "b", "global", "d1"),
                pin("prod", "b", "global", "d1"), pin("prod", "a", "eu", "d1")));
        assertThat(keys(s.pins())).containsExactly("prod/a/eu", "prod/b/global", "staging/b/global");

        Map<PinKey, Optional<Pin>> fresh = new LinkedHashMap<>();
        fresh.put(new PinKey("prod", "a", "ap"), Optional.of(pin("prod", "a", "ap", "d2")));
        fresh.put(new PinKey("dev", "z", "global"), Optional.of(pin("dev", "z", "global", "d2")));
        fresh.put(new PinKey("prod", "b", "global"), Optional.of(pin("prod", "b", "global", "d3")));
        fresh.put(new PinKey("staging", "b", "global"), Optional.empty());
        PinSnapshot next = s.withPins(fresh);

        assertThat(keys(next.pins())).containsExactly("dev/z/global", "prod/a/ap", "prod/a/eu", "prod/b/global");
        assertThat(keys(next.pins("prod"))).containsExactly("prod/a/ap", "prod/a/eu", "prod/b/global");
        assertThat(next.pin(new PinKey("prod", "b", "global")).digest()).isEqualTo("d3");
        assertThat(next.pin(new PinKey("staging", "b", "global"))).isNull();
        assertThat(next.pinCount()).isEqualTo(4);
        // the snapshot it was made from is unchanged
        assertThat(keys(s.pins())).containsExactly("prod/a/eu", "prod/b/global", "staging/b/global");
        assertThat(s.pin(new PinKey("prod", "b", "global")).digest()).isEqualTo("d1");
    }
}
