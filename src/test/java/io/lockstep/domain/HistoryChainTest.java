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
        HistoryChain.Head head = HistoryChain.Head.EMPTY;
        for (int i = 1; i <= n; i++) {
            String from = i == 1 ? null : digest(i - 1);
            Instant at = Instant.ofEpochMilli(1_700_000_000_000L + i);
            HistoryEntry e = HistoryChain.link(head, new PinChange(KEY, from, digest(i), "abc1234", "v1", "n" + i, "ci",
                    Map.of("ci_run", "r" + i), Action.PROMOTE, at, null));
            out.add(e);
            head = new HistoryChain.Head(e.seq(), e.hash());
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
        String a = HistoryChain.link(HistoryChain.Head.EMPTY, new PinChange(KEY, null, digest(1), null, null, null, "ci",
                Map.of("ci_run", "1"), Action.PROMOTE, at, null)).hash();
        String b = HistoryChain.link(HistoryChain.Head.EMPTY, new PinChange(KEY, null, digest(1), null, null, null, "ci",
                Map.of("ci_run", "2"), Action.PROMOTE, at, null)).hash();
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
        if (type == List.class) {
            return value == null ? List.of("FROZEN") : List.of();
        }
        if (type == Action.class) {
            return value == Action.PROMOTE ? Action.ROLLBACK : Action.PROMOTE;
        }
        if (type == Instant.class) {
            return ((Instant) value).plusMillis(1);
        }
        if (type == ProvenanceKind.class) {
            return value == ProvenanceKind.VERIFIED ? ProvenanceKind.DECLARED : ProvenanceKind.VERIFIED;
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
                last.promotedBy(), last.notes(), last.provenance(), 3, last.provenanceKind());
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

    /**
     * History written before {@link HistoryChain#link} existed must keep verifying: these hashes were
     * computed by the hash function as it was before issue 10, so the hashed bytes cannot drift.
     */
    @Test
    void entriesWrittenBeforeProvenanceKindsStillHashAsTheyDid() {
        PinKey key = new PinKey("prod", "platform-agent", "eu-west-1");
        HistoryEntry first = legacy(HistoryChain.link(HistoryChain.Head.EMPTY, new PinChange(key, null,
                "sha256:" + "a".repeat(64), "abc1234", "1.2.3", "first", "ci", Map.of("ci_run", "42", "commit", "abc1234"),
                Action.PROMOTE, Instant.ofEpochMilli(1_700_000_000_123L), null)));
        HistoryEntry second = legacy(HistoryChain.link(new HistoryChain.Head(first.seq(),
                "fdb76f2195595e99b5531a8bdf77bd4a327f49ede96580ad1b3c92eaf15a53fe"), new PinChange(key,
                "sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64), null, null, null, "alice", Map.of(),
                Action.RELEASE, Instant.ofEpochMilli(1_700_000_000_456L), "rel-7")));
        assertThat(HistoryChain.hashOf(first)).isEqualTo("fdb76f2195595e99b5531a8bdf77bd4a327f49ede96580ad1b3c92eaf15a53fe");
        assertThat(HistoryChain.hashOf(second)).isEqualTo("6637606d2c24d23847967b368cf56cb8385bb95e43be5005f71ff22665f69666");
        assertThat(first.provenanceKindShown()).isEqualTo(ProvenanceKind.DECLARED);
        assertThat(second.provenanceKindShown()).isEqualTo(ProvenanceKind.NONE);
    }

    /** A new entry records its kind and its hash covers it: verified, declared and none hash differently. */
    @Test
    void theHashOfANewEntryCoversItsProvenanceKind() {
        Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
        Map<String, String> claims = Map.of("repository", "acme/agents", "run_id", "42");
        HistoryEntry verified = HistoryChain.link(HistoryChain.Head.EMPTY, new PinChange(KEY, null, digest(1), null,
                null, null, "github:publish", claims, Action.PROMOTE, at, null, ProvenanceKind.VERIFIED));
        HistoryEntry declared = HistoryChain.link(HistoryChain.Head.EMPTY, new PinChange(KEY, null, digest(1), null,
                null, null, "github:publish", claims, Action.PROMOTE, at, null, ProvenanceKind.DECLARED));
        assertThat(verified.provenanceKind()).isEqualTo(ProvenanceKind.VERIFIED);
        assertThat(verified.hash()).isNotEqualTo(declared.hash()).isNotEqualTo(HistoryChain.hashOf(legacy(verified)));
        assertThat(HistoryChain.verify(List.of(verified)).valid()).isTrue();
        assertThat(HistoryChain.verify(List.of(withKind(verified, ProvenanceKind.DECLARED))).valid())
                .as("flipped verified -> declared").isFalse();
        assertThat(HistoryChain.verify(List.of(withKind(declared, ProvenanceKind.VERIFIED))).valid())
                .as("flipped declared -> verified").isFalse();
        assertThat(HistoryChain.verify(List.of(withKind(verified, null))).valid())
                .as("kind removed, passing the entry off as one from before kinds existed").isFalse();
    }

    private static HistoryEntry legacy(HistoryEntry e) {
        return withKind(e, null);
    }

    private static HistoryEntry withKind(HistoryEntry e, ProvenanceKind kind) {
        return new HistoryEntry(e.seq(), e.key(), e.fromDigest(), e.toDigest(), e.gitSha(), e.runtimeVersion(), e.notes(),
                e.promotedBy(), e.provenance(), e.action(), e.at(), e.releaseId(), e.prevHash(), e.hash(), kind);
    }

    @Test
    void linkTakesTheNextSeqAndTheHeadsHash() {
        HistoryChain.Head head = new HistoryChain.Head(41, "f".repeat(64));
        PinChange change = new PinChange(KEY, digest(1), digest(2), "abc1234", "v2", "n", "ci", Map.of("ci_run", "9"),
                Action.ROLLBACK, Instant.ofEpochMilli(5), "rel-1");
        HistoryEntry e = HistoryChain.link(head, change);
        assertThat(e.seq()).isEqualTo(42);
        assertThat(e.prevHash()).isEqualTo("f".repeat(64));
        assertThat(e.hash()).isEqualTo(HistoryChain.hashOf(e)).hasSize(64);
        assertThat(List.of(e.key(), e.fromDigest(), e.toDigest(), e.gitSha(), e.runtimeVersion(), e.notes(),
                e.promotedBy(), e.provenance(), e.action(), e.at(), e.releaseId()))
                .containsExactly(KEY, digest(1), digest(2), "abc1234", "v2", "n", "ci", Map.of("ci_run", "9"),
                        Action.ROLLBACK, Instant.ofEpochMilli(5), "rel-1");
        assertThat(HistoryChain.link(new HistoryChain.Head(41, "e".repeat(64)), change).hash())
                .as("the previous hash is covered").isNotEqualTo(e.hash());
    }

    /** The pin a change leaves is exactly what the verifier expects of a pin whose last entry records that change. */
    @Test
    void thePinAChangeLeavesMatchesItsLinkedEntry() {
        PinChange change = new PinChange(KEY, null, digest(1), "abc1234", "v1", "first", "ci", Map.of("ci_run", "1"),
                Action.PROMOTE, Instant.ofEpochMilli(7), "rel-1");
        HistoryEntry e = HistoryChain.link(HistoryChain.Head.EMPTY, change);
        Pin pin = change.pin("ghcr.io/acme/agent@" + digest(1), 1);
        assertThat(pin.imageRef()).isEqualTo("ghcr.io/acme/agent@" + digest(1));
        assertThat(pin.version()).isEqualTo(1);
        HistoryChain.Verifier v = new HistoryChain.Verifier();
        v.accept(e);
        var result = v.result(java.util.Optional.of(new HistoryChain.Head(1, e.hash())), List.of(pin));
        assertThat(result.valid()).as(result.reason()).isTrue();
    }

    @Test
    void anExclusionLeavesThePinWhereItWas() {
        PinChange exclusion = new PinChange(KEY, digest(1), digest(1), null, "v2", "excluded from release r: why",
                "ci", Map.of(), Action.EXCLUDE, Instant.EPOCH, "r");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> exclusion.pin("ref", 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leaves the pin");
    }

    @Test
    void aMissingHeadIsReported() {
        HistoryChain.Verifier v = new HistoryChain.Verifier();
        chain(2).forEach(v::accept);
        assertThat(v.result(java.util.Optional.empty(), List.of()).reason()).contains("head is missing");
    }
}
