package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryChainTest {
    private static final PinKey KEY = new PinKey("prod", "platform-agent", null);

    private static List<HistoryEntry> chain(int n) {
        List<HistoryEntry> out = new ArrayList<>();
        String prev = HistoryChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            String from = i == 1 ? null : digest(i - 1);
            Instant at = Instant.ofEpochMilli(1_700_000_000_000L + i);
            String hash = HistoryChain.hash(prev, i, KEY, from, digest(i), "abc1234", "v1", "n" + i, "ci",
                    Map.of("ci_run", "r" + i), Action.PROMOTE, at, null);
            out.add(new HistoryEntry(i, KEY, from, digest(i), "abc1234", "v1", "n" + i, "ci", Map.of("ci_run", "r" + i),
                    Action.PROMOTE, at, null, prev, hash));
            prev = hash;
        }
        return out;
    }

    private static String digest(int i) {
        return "sha256:" + HistoryChain.sha256("d" + i);
    }

    @Test
    void anUntouchedChainVerifies() {
        var v = HistoryChain.verify(chain(5));
        assertThat(v.valid()).isTrue();
        assertThat(v.entries()).isEqualTo(5);
    }

    @Test
    void aModifiedFieldBreaksTheChainAtThatEntry() {
        List<HistoryEntry> entries = chain(5);
        HistoryEntry e = entries.get(2);
        entries.set(2, new HistoryEntry(e.seq(), e.key(), e.fromDigest(), digest(99), e.gitSha(), e.runtimeVersion(),
                e.notes(), e.promotedBy(), e.provenance(), e.action(), e.at(), e.releaseId(), e.prevHash(), e.hash()));
        var v = HistoryChain.verify(entries);
        assertThat(v.valid()).isFalse();
        assertThat(v.brokenAtSeq()).isEqualTo(3);
        assertThat(v.reason()).contains("modified");
    }

    @Test
    void aRemovedEntryBreaksTheLinkOfTheNextOne() {
        List<HistoryEntry> entries = chain(5);
        entries.remove(1);
        var v = HistoryChain.verify(entries);
        assertThat(v.valid()).isFalse();
        assertThat(v.brokenAtSeq()).isEqualTo(3);
        assertThat(v.reason()).contains("removed");
    }

    @Test
    void changedProvenanceChangesTheHash() {
        Instant at = Instant.EPOCH;
        String a = HistoryChain.hash(HistoryChain.GENESIS, 1, KEY, null, digest(1), null, null, null, "ci",
                Map.of("ci_run", "1"), Action.PROMOTE, at, null);
        String b = HistoryChain.hash(HistoryChain.GENESIS, 1, KEY, null, digest(1), null, null, null, "ci",
                Map.of("ci_run", "2"), Action.PROMOTE, at, null);
        assertThat(a).isNotEqualTo(b).hasSize(64);
    }
}
