package io.lockstep.store;

import io.lockstep.domain.InstanceReport;
import org.jdbi.v3.core.ConnectionException;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** {@link FleetStore} on the {@link JdbiStore}'s pool, outside its pin write lock. */
final class JdbiFleetStore implements FleetStore {
    private final JdbiStore store;

    JdbiFleetStore(JdbiStore store) {
        this.store = store;
    }

    @Override
    public void upsert(List<InstanceReport> reports, Instant receivedAt) {
        if (reports.isEmpty()) {
            return;
        }
        guarded(() -> {
            store.writeUnlocked(FleetTable::new, t -> t.upsert(reports, receivedAt.toEpochMilli()));
            return null;
        });
    }

    @Override
    public List<DigestCount> counts(String environment, String template, Instant cutoff) {
        long since = cutoff.toEpochMilli();
        return guarded(() -> store.withTable(FleetTable::new,
                t -> template == null ? t.counts(environment, since) : t.counts(environment, template, since)));
    }

    @Override
    public List<String> sample(String environment, String template, String region, String digest, Instant cutoff,
                               int limit) {
        return guarded(() -> store.withTable(FleetTable::new,
                t -> t.sample(environment, template, region, digest, cutoff.toEpochMilli(), limit)));
    }

    @Override
    public void recordPeak(String environment, String template, String region, long instances, Instant now,
                           Instant forgetBefore) {
        guarded(() -> {
            store.writeUnlocked(FleetTable::new, t -> t.recordPeak(environment, template, region, instances,
                    now.toEpochMilli(), forgetBefore.toEpochMilli()));
            return null;
        });
    }

    @Override
    public List<Peak> peaks(String environment, Instant since) {
        return guarded(() -> store.withTable(FleetTable::new, t -> t.peaks(environment, since.toEpochMilli())));
    }

    @Override
    public int purgePeaks(Instant before) {
        return guarded(() -> store.withTable(FleetTable::new, t -> t.purgePeaks(before.toEpochMilli())));
    }

    @Override
    public int purge(Instant before) {
        return guarded(() -> store.withTable(FleetTable::new, t -> t.purge(before.toEpochMilli())));
    }

    @Override
    public long size() {
        return guarded(() -> store.withTable(FleetTable::new, FleetTable::size));
    }

    private static <T> T guarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConnectionException e) {
            throw new StoreUnavailableException("the fleet store is unavailable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A full disk, read-only files or a dropped connection are the same 503s as for pins.
            throw JdbiStore.translated(e);
        }
    }
}
