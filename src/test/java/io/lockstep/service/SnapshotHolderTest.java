package io.lockstep.service;

import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Fence;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.store.Change;
import io.lockstep.store.JdbiStore;
import io.lockstep.store.Store;
import io.lockstep.store.StoreTx;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resolve snapshot follows commits by re-reading only the pins a commit wrote. Runs on a real
 * SQLite store; {@link CountingStore} only counts reads and can fail the next single-pin read.
 */
class SnapshotHolderTest {
    @TempDir
    Path dir;

    private JdbiStore real;
    private CountingStore store;
    private SnapshotHolder holder;

    @BeforeEach
    void open() {
        real = JdbiStore.open(TestDatabases.sqlite(dir));
        store = new CountingStore(real);
        holder = new SnapshotHolder(store);
        store.write(tx -> {
            tx.saveTemplate(new Template("hermes", "registry.example.com/hermes", List.of("agent"), "runtime", true),
                    "api", Instant.EPOCH);
            return null;
        });
        save(pin("prod", "hermes", "a"));
        save(pin("staging", "hermes", "b"));
        store.fullReads.set(0);
        store.pinReads.set(0);
    }

    @AfterEach
    void close() {
        real.close();
    }

    @Test
    void aCommitRereadsOnlyThePinsItWrote() {
        save(pin("prod", "hermes", "c"));
        assertThat(holder.get().pin(key("prod", "hermes")).digest()).isEqualTo(TestConfig.digest("c"));
        assertThat(store.fullReads).hasValue(0);
        assertThat(store.pinReads).hasValue(1);
    }

    @Test
    void aPinThisProcessStoredIsTakenAsStoredWhenItFollowsTheSnapshotsOwn() {
        PinKey key = key("prod", "hermes");
        Pin next = new Pin(key, TestConfig.digest("n"), "registry.example.com/hermes@" + TestConfig.digest("n"), "abc123",
                "1.2.3", Instant.parse("2026-11-30T10:15:30.123456789Z"), "ci-prod", "a note",
                Map.of("pipeline", "https://ci.example.com/1", "run", "7"), 2, io.lockstep.domain.ProvenanceKind.VERIFIED);
        save(next);
        assertThat(store.pinReads).as("taken from the transaction").hasValue(0);
        assertThat(holder.get().pin(key)).as("what a read of the store gives, to the millisecond")
                .isEqualTo(real.pin(key).orElseThrow())
                .satisfies(p -> assertThat(p.promotedAt()).isEqualTo(Instant.parse("2026-11-30T10:15:30.123Z")));
    }

    @Test
    void aStoredPinToldOutOfOrderIsReadAgainNotTakenOverANewerOne() {
        PinKey key = key("prod", "hermes");
        Pin v2 = withVersion(pin("prod", "hermes", "v2"), 2);
        save(v2);
        save(withVersion(pin("prod", "hermes", "v3"), 3));
        store.pinReads.set(0);
        // the listener of v2's commit, told after v3's
        holder.changed(new Change(java.util.Set.of(key), false, Map.of(key, v2)));
        assertThat(holder.get().pin(key).digest()).isEqualTo(TestConfig.digest("v3"));
        assertThat(store.pinReads).as("not the successor of the snapshot's: read again").hasValue(1);
    }

    private static Pin withVersion(Pin p, long version) {
        return new Pin(p.key(), p.digest(), p.imageRef(), p.gitSha(), p.runtimeVersion(), p.promotedAt(), p.promotedBy(),
                p.notes(), p.provenance(), version, p.provenanceKind());
    }

    @Test
    void aNewPinTakesItsPlaceInTheSameOrderAFullReloadGives() {
        save(pin("prod", "hermes", "d", "eu-west-1"));
        save(pin("dev", "hermes", "e"));
        List<PinKey> incremental = holder.get().pins().stream().map(Pin::key).toList();
        assertThat(store.fullReads).hasValue(0);
        holder.reload();
        assertThat(holder.get().pins().stream().map(Pin::key).toList()).isEqualTo(incremental)
                .containsExactly(key("dev", "hermes"), new PinKey("prod", "hermes", "eu-west-1"), key("prod", "hermes"),
                        key("staging", "hermes"));
    }

    @Test
    void aTemplateChangeReloadsEverything() {
        store.write(tx -> {
            tx.saveTemplate(new Template("codex", "registry.example.com/codex", List.of("coder"), "runtime", true),
                    "api", Instant.EPOCH);
            return null;
        });
        assertThat(store.fullReads).hasValue(1);
        assertThat(holder.get().templateForKind("coder").name()).isEqualTo("codex");
        assertThat(holder.get().pins()).hasSize(2);
    }

    @Test
    void aFailedReadKeepsTheLastSnapshotAndTheNextChangeReloadsInFull() {
        store.failNextPinRead.set(true);
        save(pin("prod", "hermes", "f"));
        assertThat(holder.get().pin(key("prod", "hermes")).digest()).isEqualTo(TestConfig.digest("a"));

        save(pin("staging", "hermes", "g"));
        assertThat(store.fullReads).hasValue(1);
        assertThat(holder.get().pin(key("prod", "hermes")).digest()).isEqualTo(TestConfig.digest("f"));
        assertThat(holder.get().pin(key("staging", "hermes")).digest()).isEqualTo(TestConfig.digest("g"));
    }

    @Test
    void aFailedTransactionChangesNothing() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.savePin(pin("prod", "hermes", "h"), null);
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(holder.get().pin(key("prod", "hermes")).digest()).isEqualTo(TestConfig.digest("a"));
        assertThat(store.pinReads).hasValue(0);
    }

    private void save(Pin p) {
        store.write(tx -> {
            tx.savePin(p, null);
            return null;
        });
    }

    private static PinKey key(String env, String template) {
        return new PinKey(env, template, null);
    }

    private static Pin pin(String env, String template, String seed) {
        return pin(env, template, seed, null);
    }

    private static Pin pin(String env, String template, String seed, String region) {
        String digest = TestConfig.digest(seed);
        return new Pin(new PinKey(env, template, region), digest, "registry.example.com/" + template + "@" + digest,
                null, null, Instant.EPOCH, "test", null, Map.of(), 1);
    }

    /** A real store that counts full and single-pin reads, and can fail the next single-pin read. */
    private static final class CountingStore implements Store {
        final Store delegate;
        final AtomicInteger fullReads = new AtomicInteger();
        final AtomicInteger pinReads = new AtomicInteger();
        final AtomicBoolean failNextPinRead = new AtomicBoolean();

        CountingStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Pin> pins() {
            fullReads.incrementAndGet();
            return delegate.pins();
        }

        @Override
        public Optional<Pin> pin(PinKey key) {
            pinReads.incrementAndGet();
            if (failNextPinRead.getAndSet(false)) {
                throw new IllegalStateException("the store is unavailable (injected)");
            }
            return delegate.pin(key);
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public List<Template> templates() {
            return delegate.templates();
        }

        @Override
        public List<HistoryEntry> history(PinKey key, int limit, Long beforeSeq) {
            return delegate.history(key, limit, beforeSeq);
        }

        @Override
        public io.lockstep.domain.HistoryChain.Verification verifyHistory() {
            return delegate.verifyHistory();
        }

        @Override
        public List<Release> releases() {
            return delegate.releases();
        }

        @Override
        public Optional<Release> release(String id) {
            return delegate.release(id);
        }

        @Override
        public List<io.lockstep.domain.ReleaseEvent> releaseEvents(String group) {
            return delegate.releaseEvents(group);
        }

        @Override
        public List<Fence> fences(String environment) {
            return delegate.fences(environment);
        }

        @Override
        public java.util.Map<io.lockstep.domain.PinKey, String> holds() {
            return delegate.holds();
        }

        @Override
        public List<io.lockstep.domain.PolicyChange> policiesInForce() {
            return delegate.policiesInForce();
        }

        @Override
        public List<io.lockstep.domain.PolicyChange> policyChanges(String environment, int limit) {
            return delegate.policyChanges(environment, limit);
        }

        @Override
        public List<io.lockstep.domain.LineStop> lineStops(String environment, int limit) {
            return delegate.lineStops(environment, limit);
        }

        @Override
        public List<io.lockstep.domain.LineStop> unliftedLineStops() {
            return delegate.unliftedLineStops();
        }

        @Override
        public io.lockstep.store.Readiness readiness() {
            return delegate.readiness();
        }

        @Override
        public <T> T write(Function<StoreTx, T> work) {
            return delegate.write(work);
        }

        @Override
        public void onChange(Consumer<Change> listener) {
            delegate.onChange(listener);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
