package io.lockstep.store;

import io.lockstep.domain.InstanceReport;

import java.time.Instant;
import java.util.List;

/**
 * The {@code fleet_instances} table, one row per (environment, instance id). Writes do not take the
 * store-wide pin write lock: a report batch touches no pin and must not queue behind promotes (nor
 * fire pin-change notifications). A batch commits in one transaction, so a failed batch stores nothing.
 */
public interface FleetStore {

    /** A count of live instances of one (template, region) running one digest. */
    record DigestCount(String template, String region, String digest, long instances) {
    }

    /**
     * Upserts the latest report per instance. {@code reports} must hold each (environment, instance id)
     * once, sorted by that key: concurrent batches then lock rows in the same order and cannot deadlock.
     * A report older than the stored one for its instance is ignored (late delivery never rewinds).
     */
    void upsert(List<InstanceReport> reports, Instant receivedAt);

    /** Live instances (observed at or after {@code cutoff}) per template, region and digest; {@code template} may be null for all. */
    List<DigestCount> counts(String environment, String template, Instant cutoff);

    /** Up to {@code limit} live instance ids running {@code digest}, longest-silent first. */
    List<String> sample(String environment, String template, String region, String digest, Instant cutoff, int limit);

    /** The most live instances seen at once for one (template, region) of an environment, and when last seen that high. */
    record Peak(String template, String region, long instances, Instant seenAt) {
    }

    /** Records {@code instances} live now for one (environment, template, region); see {@code fleet_peaks} (V7). */
    void recordPeak(String environment, String template, String region, long instances, Instant now, Instant forgetBefore);

    /** The environment's peaks last seen at or after {@code since}. */
    List<Peak> peaks(String environment, Instant since);

    /** Deletes peaks last seen before {@code before}; returns how many. */
    int purgePeaks(Instant before);

    /** Deletes instances silent since before {@code before}; returns how many. */
    int purge(Instant before);

    /** How many instances are stored, live or not (tests prove a rejected batch stored nothing). */
    long size();
}
