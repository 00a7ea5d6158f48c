package io.lockstep.service.dashboard;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.drift.DriftFinding;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@link PinView} from the pin, drift's finding for it, its history and the chain's verification. */
public final class PinViews {
    static final String GLOBAL = Names.DEFAULT_REGION;

    private PinViews() {
    }

    /** What the page is built from; {@code finding} and {@code chain} may be null (none / not shown to this caller). */
    public record Input(String environment, String template, String region, Pin pin, DriftFinding finding,
                        List<HistoryEntry> historyNewestFirst, HistoryChain.Verification chain, boolean canRollback,
                        Long doneSeq, Instant now) {
    }

    public static PinView build(Input in) {
        PinView.Current current = null;
        if (in.pin() != null) {
            Pin p = in.pin();
            DriftFinding f = in.finding();
            current = new PinView.Current(p.version(), p.digest(), MatrixViews.shortDigest(p.digest()),
                    p.runtimeVersion(), f == null ? null : f.currentReleaseId(),
                    MatrixViews.age(Duration.between(p.promotedAt(), in.now())), p.promotedBy(),
                    f == null ? "unknown" : f.status().wire(), f == null ? "UNKNOWN" : f.status().name(),
                    f == null ? "Drift has not judged this pin yet." : f.explanation(), p.notes());
        }
        String now = in.pin() == null ? null : in.pin().digest();
        List<PinView.Entry> entries = new ArrayList<>(in.historyNewestFirst().size());
        PinView.Entry done = null;
        for (HistoryEntry e : in.historyNewestFirst()) {
            PinView.Entry v = entry(e, now);
            entries.add(v);
            if (in.doneSeq() != null && e.seq() == in.doneSeq()) {
                done = v;
            }
        }
        return new PinView(in.environment(), in.template(), in.region(), current, entries, chain(in.chain()),
                in.canRollback() && in.pin() != null, done);
    }

    static PinView.Chain chain(HistoryChain.Verification v) {
        if (v == null) {
            return new PinView.Chain("not_shown", "The history chain links every environment's entries, so only a"
                    + " token allowed on every environment may verify it (GET /api/v1/history/verify).");
        }
        if (v.valid()) {
            return new PinView.Chain("verified", "Verified: all " + v.entries() + " entries of the history chain link"
                    + " up, none was edited or removed.");
        }
        return new PinView.Chain("broken", "Broken at entry " + v.brokenAtSeq() + ": " + v.reason());
    }

    private static PinView.Entry entry(HistoryEntry e, String currentDigest) {
        List<String> provenance = new ArrayList<>();
        for (Map.Entry<String, String> p : new java.util.TreeMap<>(e.provenance()).entrySet()) {
            provenance.add(p.getKey() + "=" + p.getValue());
        }
        return new PinView.Entry(e.seq(), e.at().toString(), e.promotedBy(), e.action().wire(), e.fromDigest(),
                MatrixViews.shortDigest(e.fromDigest()), e.toDigest(), MatrixViews.shortDigest(e.toDigest()),
                e.runtimeVersion(), e.releaseId(), e.provenanceKind() == null ? null : e.provenanceKind().wire(),
                provenance, e.notes(), e.overrideReason(),
                currentDigest != null && !currentDigest.equals(e.toDigest()));
    }
}
