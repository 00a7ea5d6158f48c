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

    /**
     * Every component of a history entry except its own hash is covered by the hash: changing any one
     * of them changes it. Generated from the record's components, so a field added later without
     * being hashed fails here.
     */
    @Test
    void everyComponentOfAnEntryExceptItsHashIsHashed() throws Exception {
        HistoryEntry base = chain(2).get(1);
        var components = HistoryEntry.class.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(components).map(java.lang.reflect.RecordComponent::getType)
                .toArray(Class<?>[]::new);
        var constructor = HistoryEntry.class.getDeclaredConstructor(types);
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (name.equals("hash")) {
                continue;
            }
            Object[] args = new Object[components.length];
            for (int j = 0; j < components.length; j++) {
                args[j] = components[j].getAccessor().invoke(base);
            }
            args[i] = changed(args[i], components[i].getType());
            HistoryEntry tampered = constructor.newInstance(args);
            assertThat(HistoryChain.hashOf(tampered)).as("hash covers %s", name).isNotEqualTo(HistoryChain.hashOf(base));
            checked.add(name);
        }
        assertThat(checked).hasSize(components.length - 1);
    }

    private static Object changed(Object value, Class<?> type) {
        if (type == long.class) {
            return (Long) value + 1;
        }
        if (type == String.class) {
            return value + "x";
        }
        if (type == PinKey.class) {
            PinKey k = (PinKey) value;
            return new PinKey(k.environment(), k.template(), k.region() + "x");
        }
        if (type == Map.class) {
            return Map.of("ci_run", "tampered");
        }
        if (type == Action.class) {
            return value == Action.PROMOTE ? Action.ROLLBACK : Action.PROMOTE;
        }
        if (type == Instant.class) {
            return ((Instant) value).plusMillis(1);
        }
        throw new AssertionError("no tamper rule for a component of type " + type + "; add one");
    }

    @Test
    void theHashedFieldsAreNamedOnce() {
        List<String> names = HistoryChain.HASHED_FIELDS.stream().map(HistoryChain.Field::name).toList();
        assertThat(names).doesNotHaveDuplicates().contains("at", "seq", "prev_hash", "to_digest");
    }

    @Test
    void aHeadPastTheLastRowMeansRowsWereRemovedFromTheEnd() {
        List<HistoryEntry> entries = chain(5);
        HistoryChain.Head head = new HistoryChain.Head(5, entries.get(4).hash());
        HistoryChain.Verifier v = new HistoryChain.Verifier();
        entries.subList(0, 3).forEach(v::accept);
        var result = v.result(java.util.Optional.of(head), List.of());
        assertThat(result.valid()).isFalse();
        assertThat(result.brokenAtSeq()).isEqualTo(4);
        assertThat(result.reason()).contains("4 to 5 are missing");
    }

    @Test
    void aPinAheadOfItsLastEntryIsReported() {
        List<HistoryEntry> entries = chain(3);
        HistoryEntry last = entries.get(2);
        HistoryChain.Verifier v = new HistoryChain.Verifier();
        entries.forEach(v::accept);
        Pin matching = new Pin(KEY, last.toDigest(), "ref", last.gitSha(), last.runtimeVersion(), last.at(),
                last.promotedBy(), last.notes(), last.provenance(), 3);
        assertThat(v.result(java.util.Optional.of(new HistoryChain.Head(3, last.hash())), List.of(matching)).valid())
                .isTrue();

        HistoryChain.Verifier again = new HistoryChain.Verifier();
        entries.forEach(again::accept);
        Pin ahead = new Pin(KEY, digest(42), "ref", last.gitSha(), last.runtimeVersion(), last.at(),
                last.promotedBy(), last.notes(), last.provenance(), 4);
        var result = again.result(java.util.Optional.of(new HistoryChain.Head(3, last.hash())), List.of(ahead));
        assertThat(result.valid()).isFalse();
        assertThat(result.brokenAtSeq()).isEqualTo(3);
        assertThat(result.reason()).contains(digest(42));
    }

    @Test
    void aMissingHeadIsReported() {
        HistoryChain.Verifier v = new HistoryChain.Verifier();
        chain(2).forEach(v::accept);
        assertThat(v.result(java.util.Optional.empty(), List.of()).reason()).contains("head is missing");
    }
}
