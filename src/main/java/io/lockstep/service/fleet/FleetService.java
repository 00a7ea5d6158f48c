package io.lockstep.service.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.auth.ApiToken;
import io.lockstep.domain.Convergence;
import io.lockstep.domain.ExpectedInstances;
import io.lockstep.domain.FleetSettings;
import io.lockstep.domain.InstanceReport;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.service.Environments;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.store.FleetStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fleet convergence (promoting a pin does not change running containers, so Lockstep shows what
 * actually runs). Instances
 * report what they run; convergence compares the live ones (reported within the TTL) with the
 * pin that applies to them.
 */
public final class FleetService implements io.lockstep.service.UpstreamFleet {
    private static final Logger LOG = LoggerFactory.getLogger(FleetService.class);
    public static final int SAMPLE_SIZE = 5;
    /** Bounds the sample queries of one convergence answer; counts are always complete. */
    private static final int MAX_SAMPLED_GROUPS = 200;

    private final FleetStore store;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final FleetSettings settings;
    private final ReportBatchParser parser;
    /** (environment + template) → when its peak was last re-counted; bounded by the number of pins. */
    private final Map<String, Instant> lastPeakCount = new java.util.concurrent.ConcurrentHashMap<>();

    public FleetService(FleetStore store, Environments environments, SnapshotHolder snapshot, Clock clock,
                        FleetSettings settings) {
        this.store = store;
        this.snapshot = snapshot;
        this.clock = clock;
        this.settings = settings;
        this.parser = new ReportBatchParser(environments, settings);
    }

    public FleetSettings settings() {
        return settings;
    }

    /** Validates a whole batch ({@code {"reports":[…]}}) and stores it; any bad report stores none. */
    public int ingest(JsonNode body, ApiToken caller) {
        List<InstanceReport> reports = parser.parse(body, snapshot.get(), caller, clock.instant());
        return ingest(reports);
    }

    /** Stores already validated reports (the demo and the parser use this); returns the distinct instances. */
    public int ingest(List<InstanceReport> reports) {
        // One row per instance of an environment (its latest report), sorted by that key so concurrent
        // batches lock rows in one order. An instance id names an instance only within its environment:
        // a token limited to staging must not be able to overwrite, or hide, a prod instance.
        Map<InstanceReport.Key, InstanceReport> latest = new TreeMap<>();
        for (InstanceReport r : reports) {
            latest.merge(r.key(), r, (a, b) -> b.observedAt().isBefore(a.observedAt()) ? a : b);
        }
        Instant now = clock.instant();
        store.upsert(new ArrayList<>(latest.values()), now);
        rememberPeaks(latest.values(), now);
        return latest.size();
    }

    /**
     * Re-counts the live instances of each (environment, template) this batch reported for, at most once
     * per {@link FleetSettings#peakInterval} each, so the store remembers how many ran: once they stop
     * reporting, convergence still knows they are missing.
     */
    private void rememberPeaks(Iterable<InstanceReport> reports, Instant now) {
        if (settings.instanceMemory().isZero()) {
            return;
        }
        Map<String, String[]> touched = new TreeMap<>();
        for (InstanceReport r : reports) {
            touched.putIfAbsent(r.environment() + "\n" + r.template(), new String[]{r.environment(), r.template()});
        }
        Instant cutoff = now.minus(settings.instanceTtl());
        Instant forget = now.minus(settings.instanceMemory());
        for (Map.Entry<String, String[]> e : touched.entrySet()) {
            Instant last = lastPeakCount.get(e.getKey());
            if (last != null && last.isAfter(now.minus(settings.peakInterval()))) {
                continue;
            }
            lastPeakCount.put(e.getKey(), now);
            String env = e.getValue()[0];
            String template = e.getValue()[1];
            Map<String, Long> perRegion = new TreeMap<>();
            for (FleetStore.DigestCount c : store.counts(env, template, cutoff)) {
                perRegion.merge(c.region(), c.instances(), Long::sum);
            }
            perRegion.forEach((region, n) -> store.recordPeak(env, template, region, n, now, forget));
        }
    }

    /** Per pin of each hosted environment of {@code envs} (the caller checked them), optionally one template. */
    public List<Convergence> convergence(List<String> envs, String template) {
        PinSnapshot snap = snapshot.get();
        if (template != null && (!Names.isValid(template) || snap.template(template) == null)) {
            throw new LockstepException(Problem.UNKNOWN_TEMPLATE, "No template named " + Names.quoteForError(template) + ".");
        }
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.instanceTtl());
        List<Convergence> out = new ArrayList<>();
        int[] sampled = {0};
        for (String env : envs) {
            out.addAll(forEnvironment(env, template, snap, now, cutoff, sampled));
        }
        return out;
    }

    private List<Convergence> forEnvironment(String env, String template, PinSnapshot snap, Instant now, Instant cutoff,
                                             int[] sampled) {
        // (template, region) → digest → live instances; pins, and pins expected to run instances, get a row
        // without any live instance too
        Map<PinKey, Map<String, Long>> groups = new TreeMap<>(Comparator.comparing(PinKey::template)
                .thenComparing(PinKey::region));
        for (Pin p : snap.pins(env)) {
            if (template == null || p.key().template().equals(template)) {
                groups.put(p.key(), new HashMap<>());
            }
        }
        for (ExpectedInstances.Configured c : settings.expected()) {
            if (c.environment().equals(env) && (template == null || c.template().equals(template))) {
                groups.putIfAbsent(new PinKey(env, c.template(), c.region()), new HashMap<>());
            }
        }
        Map<PinKey, ExpectedInstances.Peak> peaks = new HashMap<>();
        if (!settings.instanceMemory().isZero()) {
            for (FleetStore.Peak p : store.peaks(env, now.minus(settings.instanceMemory()))) {
                if (template == null || p.template().equals(template)) {
                    PinKey key = new PinKey(env, p.template(), p.region());
                    peaks.put(key, new ExpectedInstances.Peak(p.instances(), p.seenAt()));
                    groups.putIfAbsent(key, new HashMap<>());
                }
            }
        }
        for (FleetStore.DigestCount c : store.counts(env, template, cutoff)) {
            groups.computeIfAbsent(new PinKey(env, c.template(), c.region()), k -> new HashMap<>())
                    .put(c.digest(), c.instances());
        }
        List<Convergence> out = new ArrayList<>();
        groups.forEach((key, digests) -> {
            Pin pin = applicablePin(snap, key);
            String pinned = pin == null ? null : pin.digest();
            long total = digests.values().stream().mapToLong(Long::longValue).sum();
            long converged = pinned == null ? 0 : digests.getOrDefault(pinned, 0L);
            List<Convergence.StaleDigest> stale = new ArrayList<>();
            digests.entrySet().stream()
                    .filter(e -> !e.getKey().equals(pinned))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .forEach(e -> stale.add(new Convergence.StaleDigest(e.getKey(), e.getValue(),
                            sampled[0]++ < MAX_SAMPLED_GROUPS
                                    ? store.sample(env, key.template(), key.region(), e.getKey(), cutoff, SAMPLE_SIZE)
                                    : List.of())));
            out.add(new Convergence(env, key.template(), key.region(), pin == null ? null : pin.key().region(),
                    pinned, pin == null ? null : pin.runtimeVersion(), pin == null ? null : pin.promotedAt(),
                    total, converged, stale, ExpectedInstances.of(
                            settings.configuredExpected(env, key.template(), key.region()), peaks.get(key), total, now,
                            settings.instanceMemory())));
        });
        return out;
    }

    /** {@code requires.min_converged}: the share of the live instances served by {@code upstreamPin} that run {@code digest}. */
    @Override
    public Optional<Double> share(PinKey upstreamPin, String digest) {
        Instant cutoff = clock.instant().minus(settings.instanceTtl());
        PinSnapshot snap = snapshot.get();
        long total = 0;
        long running = 0;
        for (FleetStore.DigestCount c : store.counts(upstreamPin.environment(), upstreamPin.template(), cutoff)) {
            Pin applicable = applicablePin(snap, new PinKey(upstreamPin.environment(), c.template(), c.region()));
            if (applicable != null && applicable.key().equals(upstreamPin)) {
                total += c.instances();
                running += c.digest().equals(digest) ? c.instances() : 0;
            }
        }
        return total == 0 ? Optional.empty() : Optional.of((double) running / total);
    }

    /** The region's own pin, else the global one: the pin resolution would hand this instance. */
    private static Pin applicablePin(PinSnapshot snap, PinKey key) {
        Pin own = snap.pin(key);
        return own != null ? own : snap.pin(new PinKey(key.environment(), key.template(), Names.DEFAULT_REGION));
    }

    /** Deletes instances silent for longer than the retention, and peaks older than the memory; run periodically. */
    public int purgeExpired() {
        Instant now = clock.instant();
        store.purgePeaks(now.minus(settings.instanceMemory()));
        return store.purge(now.minus(settings.retention()));
    }

    /** {@link #purgeExpired} for a scheduler: a failure is logged, never thrown, so the schedule keeps running. */
    public void purgeInBackground() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("fleet retention purge failed, retrying later: {}", e.getMessage());
        }
    }

    /** Stored instances, live or not. */
    public long storedInstances() {
        return store.size();
    }
}
