package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pin maps (the snapshot, the drift engine) are keyed by {@link PinKey}; names that differ only in a digit or two
 * must not share hashes in whole classes, or each lookup walks a bin of {@code equals} (the matrix's hot spot at
 * 50 × 200 in bench/dashboard.sh: the record's default hash gave 1,140 distinct values for 10,000 keys).
 */
class PinKeyHashTest {
    @Test
    void numberedEnvironmentsAndTemplatesGetNearlyDistinctHashes() {
        Set<Integer> hashes = new HashSet<>();
        for (int e = 0; e < 50; e++) {
            for (int t = 0; t < 200; t++) {
                hashes.add(new PinKey(String.format("env-%02d", e), String.format("t-%03d", t), null).hashCode());
            }
        }
        assertThat(hashes.size()).isGreaterThan(9_900);
    }

    @Test
    void equalKeysHashEqualAndRegionCounts() {
        assertThat(new PinKey("prod", "api", null)).hasSameHashCodeAs(new PinKey("prod", "api", Names.DEFAULT_REGION));
        assertThat(new PinKey("prod", "api", "eu-west").hashCode()).isNotEqualTo(new PinKey("prod", "api", "us-east").hashCode());
    }
}
