package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.domain.UpstreamState;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Everything one drift computation looks at. Time is an input ({@code now}) so the result is a
 * pure function of this record: tests and replays need no clock.
 *
 * @param environments in promotion order (staging before prod); only these are reported, pins of other environments are ignored
 * @param gracePeriod  how long a pin may be behind before it is {@code STUCK}; default {@link #DEFAULT_GRACE_PERIOD}
 * @param remoteUpstreams environment → what its upstream on another server runs (or why it could not be
 *                     read); such an environment's upstream is compared with this state, never with a local one
 */
public record DriftInput(List<Template> templates, List<Environment> environments, List<Pin> pins,
                         List<Release> releases, Instant now, Duration gracePeriod, DriftSignals signals,
                         Map<String, UpstreamState> remoteUpstreams) {
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(30);

    public DriftInput {
        templates = List.copyOf(templates);
        environments = List.copyOf(environments);
        pins = List.copyOf(pins);
        releases = List.copyOf(releases);
        Objects.requireNonNull(now, "now");
        gracePeriod = gracePeriod == null ? DEFAULT_GRACE_PERIOD : gracePeriod;
        if (gracePeriod.isNegative()) {
            throw new LockstepException(Problem.INVALID_GRACE_PERIOD, "the drift grace period must not be negative; got "
                    + gracePeriod + ".");
        }
        signals = signals == null ? DriftSignals.none() : signals;
        remoteUpstreams = remoteUpstreams == null ? Map.of() : Map.copyOf(remoteUpstreams);
    }

    /** No remote upstream. */
    public DriftInput(List<Template> templates, List<Environment> environments, List<Pin> pins,
                      List<Release> releases, Instant now, Duration gracePeriod, DriftSignals signals) {
        this(templates, environments, pins, releases, now, gracePeriod, signals, Map.of());
    }

    /** Default grace period, no extra signals. */
    public static DriftInput of(List<Template> templates, List<Environment> environments, List<Pin> pins,
                                List<Release> releases, Instant now) {
        return new DriftInput(templates, environments, pins, releases, now, null, null);
    }

    public DriftInput withGracePeriod(Duration grace) {
        return new DriftInput(templates, environments, pins, releases, now, grace, signals, remoteUpstreams);
    }

    public DriftInput withSignals(DriftSignals newSignals) {
        return new DriftInput(templates, environments, pins, releases, now, gracePeriod, newSignals, remoteUpstreams);
    }

    public DriftInput withRemoteUpstreams(Map<String, UpstreamState> remotes) {
        return new DriftInput(templates, environments, pins, releases, now, gracePeriod, signals, remotes);
    }

    /**
     * This input as seen from {@code keep} only: their environments, pins and per-pin signals.
     * Templates, releases and in-flight release ids belong to no environment and stay whole.
     */
    public DriftInput forEnvironments(Collection<String> keep) {
        Set<String> k = Set.copyOf(keep);
        Predicate<PinKey> in = key -> k.contains(key.environment());
        DriftSignals narrowed = new DriftSignals(
                signals.imageGone().stream().filter(in).collect(Collectors.toSet()),
                signals.mirrorStale().stream().filter(in).collect(Collectors.toSet()),
                signals.holds().entrySet().stream().filter(e -> in.test(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                signals.inFlightReleaseIds(),
                signals.catchUpRefusals().entrySet().stream().filter(e -> in.test(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        return new DriftInput(templates, environments.stream().filter(e -> k.contains(e.name())).toList(),
                pins.stream().filter(p -> in.test(p.key())).toList(), releases, now, gracePeriod, narrowed,
                remoteUpstreams.entrySet().stream().filter(e -> k.contains(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * This input narrowed to what the drift of {@code scope}'s pins depends on: the scope's templates (a scope
     * holds whole groups) and their pins in the scope's regions. The engine then finds, for the pins in scope,
     * exactly what it finds on the whole input; the {@code global} pins come along because every template is
     * reported in {@code global}, so its findings there are right too (callers keep only the scope's).
     */
    public DriftInput within(DriftScope scope) {
        List<Pin> kept = pins.stream().filter(p -> scope.needs(p.key())).toList();
        return new DriftInput(templates.stream().filter(t -> scope.templates().contains(t.name())).toList(), environments,
                kept, releases, now, gracePeriod, signals, remoteUpstreams);
    }

    public DriftInput at(Instant instant) {
        return new DriftInput(templates, environments, pins, releases, instant, gracePeriod, signals, remoteUpstreams);
    }
}
