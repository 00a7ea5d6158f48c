package io.lockstep.store;

import io.lockstep.domain.Action;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operations available inside one write transaction (see {@link Store#write}). */
public interface StoreTx {

    Optional<Pin> pin(PinKey key);

    void savePin(Pin pin, String releaseId);

    /** Appends to the history, linking the new entry into the hash chain; returns it. */
    HistoryEntry appendHistory(PinKey key, String fromDigest, String toDigest, String gitSha, String runtimeVersion,
                               String notes, String promotedBy, Map<String, String> provenance, Action action,
                               Instant at, String releaseId);

    /** The newest entry for this pin whose target digest was {@code digest}, if any. */
    Optional<HistoryEntry> lastEntryTo(PinKey key, String digest);

    List<HistoryEntry> history(PinKey key, int limit);

    Optional<Template> template(String name);

    /** Every template, as this transaction sees it (a release promote checks completeness against them). */
    List<Template> templates();

    void saveTemplate(Template template, String source, Instant at);

    Optional<Release> release(String id);

    Optional<Release> releaseByVersion(String group, String runtimeVersion);

    void saveRelease(Release release);

    /** Replaces who vouched for a release, and where; the release's content never changes. */
    void saveRegistrants(String releaseId, Registrants registrants);

    List<Fence> fences(String environment);

    void saveFence(Fence fence);

    boolean deleteFence(String environment, String id);
}
