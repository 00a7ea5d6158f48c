package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Refusal;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.domain.UpstreamState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes drift: a status for every (environment, template, region) of every pinnable template.
 * Pure: no I/O, no clock ({@link DriftInput#now()} is the time).
 *
 * <h2>What is reported</h2>
 * Every environment of the input × every pinnable template × every region that has a pin for
 * that template in any environment, plus {@code global}, which is always expected. A region pinned
 * in prod but not in staging is therefore {@code MISSING} in staging.
 *
 * <h2>Where a pin stands</h2>
 * A template's release stream is its lock-step group (its own name when it has none). The pin's
 * release is the newest registered release holding the pinned digest for that template; "newest"
 * is by {@code createdAt}, ties broken by id. Releases that leave the template out (excluded with
 * a reason) are not targets for it and are ignored for it. The pin is <em>behind</em> when a newer
 * release has an image for the template; {@code releasesBehind} counts those releases and
 * {@code behindSince} is the {@code createdAt} of the first of them.
 *
 * <h2>Rules, each adding a status to the set that applies</h2>
 * <ul>
 * <li>{@code MISSING}: no pin. Nothing else is evaluated.</li>
 * <li>{@code IMAGE_GONE}, {@code MIRROR_STALE}, {@code HELD}: the pin's key is in the matching
 *     {@link DriftSignals} set.</li>
 * <li>{@code UNVERIFIED}: the environment requires provenance (declared or verified) and the pin's
 *     last move carried no verified provenance.</li>
 * <li>{@code UNKNOWN}: no registered release of the stream holds the pinned digest.</li>
 * <li>{@code IN_FLIGHT} / {@code STUCK}: behind, and the grace period is measured from
 *     {@code behindSince}, i.e. from the first release the pin has missed, <em>not</em> from the
 *     newest release. Measuring from the newest would let a steady stream of releases keep a pin
 *     "in flight" for ever, which is the seed's failure (stale for days while builds kept coming).
 *     The grace period is half-open: {@code IN_FLIGHT} while {@code now < behindSince + grace},
 *     {@code STUCK} from {@code behindSince + grace} on. A pin behind a newest release that is in
 *     {@link DriftSignals#inFlightReleaseIds()} is {@code IN_FLIGHT} regardless of time, since it is
 *     being moved right now.</li>
 * <li>{@code SPLIT}: behind, and another pinnable member of the same group in the same environment
 *     and region is on a newer release than this pin. Only the lagging members are {@code SPLIT};
 *     the member(s) ahead are judged on their own (usually {@code CURRENT}).</li>
 * <li>{@code SPLIT} also when members disagree without anyone being behind: a member pinned to a
 *     digest that no registered release of the group holds ({@code UNKNOWN}) while another member
 *     of the same environment and region is on a registered release. The group no longer runs one
 *     release, and nothing tells which side is right, so <em>every</em> member involved carries it:
 *     the ones left on the release get {@code SPLIT} (naming the moved member), the moved one keeps
 *     {@code UNKNOWN} with flag {@code SPLIT}. This is the seed incident through the seed endpoint,
 *     which takes bare digests: without it the members left behind looked {@code CURRENT}.</li>
 * <li>{@code AHEAD_OF_UPSTREAM}: the environment has an upstream, the upstream's pin for the same
 *     template and region resolves to a registered release, and this pin's release is newer than
 *     that one. History is not an input, so "upstream never had it" is approximated by "upstream is
 *     on an older release now". An upstream that is missing or unknown is not compared: its own
 *     finding already says so.</li>
 * <li>{@code BEHIND_UPSTREAM}: the environment has an upstream whose pin for the same template and
 *     region resolves to a registered release newer than this pin's, and the upstream has had that
 *     pin for at least the grace period (measured from the upstream pin's {@code promotedAt}: how long
 *     the release has been proven upstream). It matters most across servers, where the downstream
 *     server may never have learned the release (its registration got a 403) and so judges itself
 *     {@code CURRENT}; on one server it usually comes with {@code STUCK}.</li>
 * <li>{@code SOAKING} / {@code AWAITING_APPROVAL} / {@code FROZEN}: the pin is behind (newest release or
 *     upstream) and {@link DriftSignals#catchUpRefusals()} holds the promotion gate's first refusal of the
 *     change that would catch it up: {@code SOAKING}, {@code APPROVAL_REQUIRED}, or {@code FROZEN} /
 *     {@code LINE_STOPPED}. That status takes the place of {@code STUCK} / {@code IN_FLIGHT} /
 *     {@code BEHIND_UPSTREAM}, since the pin waits on purpose; every other rule still applies, so a split
 *     group, a gone image or a hold still shows first. Any other first refusal changes nothing.</li>
 * <li>Remote upstream ({@link DriftInput#remoteUpstreams()}): the two rules above compare with the
 *     remote's pin for the same template and region instead of a local environment, its release
 *     found among this server's and the remote's releases together (a prod server whose
 *     registration got a 403 never learned the release staging runs).
 *     {@code UPSTREAM_UNREACHABLE}: the remote could not be read; neither rule is checked, and every
 *     pin of the environment (but a {@code MISSING} one, which has nothing to compare) carries it.</li>
 * <li>{@code CURRENT}: none of the above.</li>
 * </ul>
 *
 * <h2>One primary status</h2>
 * The primary status is the first applicable one in {@link DriftStatus} declaration order; the rest
 * are {@code flags}. For the seed incident (claude-code promoted to v0.3.43, platform-agent left on
 * v0.3.40) this gives exactly the acceptance text: inside the grace period platform-agent has
 * {SPLIT, IN_FLIGHT} and shows <b>SPLIT</b>; after it, {STUCK, SPLIT} and shows <b>STUCK</b> with
 * "1 release behind" and flag SPLIT. Either way {@code --fail-on split} matches, and
 * {@code --fail-on stuck} matches once the grace period is over, because matching looks at flags too.
 */
public final class DriftEngine {

    public DriftReport compute(DriftInput input) {
        Map<String, ReleaseStream> streams = ReleaseStream.byGroup(input.releases());
        Map<String, Environment> environments = new LinkedHashMap<>();
        input.environments().forEach(e -> environments.put(e.name(), e));
        Map<PinKey, Pin> pins = index(input.pins(), environments.keySet());
        List<Template> pinnable = input.templates().stream().filter(Template::pinnable)
                .sorted(Comparator.comparing(Template::name)).toList();

        Map<PinKey, PinPosition> positions = new LinkedHashMap<>();
        // The regions of each template in one pass over the pins: asking per (environment, template) walked every
        // pin environments × templates times (10,000 pins at 50 × 200: 100M compares a report, the hot spot of the
        // dashboard's matrix in bench/dashboard.sh).
        Map<String, List<String>> regions = regionsByTemplate(pins.keySet());
        for (Environment env : environments.values()) {
            for (Template t : pinnable) {
                ReleaseStream stream = streams.getOrDefault(ReleaseStream.groupOf(t), ReleaseStream.empty());
                for (String region : regions.getOrDefault(t.name(), GLOBAL_ONLY)) {
                    PinKey key = new PinKey(env.name(), t.name(), region);
                    positions.put(key, PinPosition.of(key, t, pins.get(key), stream));
                }
            }
        }

        Map<String, List<Template>> members = new HashMap<>();
        for (Template t : pinnable) {
            members.computeIfAbsent(ReleaseStream.groupOf(t), g -> new ArrayList<>()).add(t);
        }

        Map<String, RemoteView> remotes = new HashMap<>();
        input.remoteUpstreams().forEach((env, state) -> remotes.put(env, RemoteView.of(state, input.releases())));

        List<DriftFinding> findings = new ArrayList<>();
        for (PinPosition p : positions.values()) {
            Environment env = environments.get(p.key().environment());
            Verdict verdict = judge(p, env, positions, members.get(p.group()), input, remotes.get(env.name()));
            findings.add(finding(p, env, verdict, input));
        }
        return new DriftReport(input.now(), findings);
    }

    /**
     * A remote upstream's pins, ordered with the releases of both servers: the remote's releases are
     * merged in (by id) only for placing its pins, so this server's own positions are unchanged.
     */
    private record RemoteView(UpstreamState state, Map<PinKey, Pin> pins, Map<String, ReleaseStream> streams) {
        static RemoteView of(UpstreamState state, List<Release> local) {
            Map<String, Release> merged = new LinkedHashMap<>();
            local.forEach(r -> merged.put(r.id(), r));
            state.releases().forEach(r -> merged.putIfAbsent(r.id(), r));
            Map<PinKey, Pin> pins = index(state.pins(), Set.of(state.upstream().environment()));
            return new RemoteView(state, pins, ReleaseStream.byGroup(List.copyOf(merged.values())));
        }

        PinPosition position(PinPosition downstream) {
            PinKey key = new PinKey(state.upstream().environment(), downstream.key().template(), downstream.key().region());
            ReleaseStream stream = streams.getOrDefault(downstream.group(), ReleaseStream.empty());
            return PinPosition.of(key, downstream.template(), pins.get(key), stream);
        }
    }

    private static Verdict judge(PinPosition p, Environment env, Map<PinKey, PinPosition> positions,
                                 List<Template> groupMembers, DriftInput input, RemoteView remote) {
        Set<DriftStatus> statuses = EnumSet.noneOf(DriftStatus.class);
        if (p.missing()) {
            statuses.add(DriftStatus.MISSING);
            return new Verdict(statuses, null, false, null, List.of(), null, null, null, List.of(), null, null);
        }
        DriftSignals signals = input.signals();
        Refusal gate = signals.catchUpRefusals().get(p.key());
        DriftStatus waiting = gate == null ? null : waitingOn(gate.problem());
        if (signals.imageGone().contains(p.key())) {
            statuses.add(DriftStatus.IMAGE_GONE);
        }
        if (signals.mirrorStale().contains(p.key())) {
            statuses.add(DriftStatus.MIRROR_STALE);
        }
        if (unverified(p.pin(), env)) {
            statuses.add(DriftStatus.UNVERIFIED);
        }
        String holdReason = signals.holds().get(p.key());
        if (holdReason != null) {
            statuses.add(DriftStatus.HELD);
        }
        String unreachable = remote == null ? null : remote.state().unreachableReason();
        if (unreachable != null) {
            statuses.add(DriftStatus.UPSTREAM_UNREACHABLE);
        }
        List<String> offRelease = offReleaseMembers(p, positions, groupMembers);
        if (p.unknown()) {
            statuses.add(DriftStatus.UNKNOWN);
            List<String> onRelease = onReleaseMembers(p, positions, groupMembers);
            if (!onRelease.isEmpty()) {
                // the moved member itself: its group no longer runs one release
                statuses.add(DriftStatus.SPLIT);
            }
            return new Verdict(statuses, null, false, null, onRelease, remote == null ? null : remote.state().upstream().label(),
                    null, holdReason, List.of(), null, unreachable);
        }
        if (!offRelease.isEmpty()) {
            statuses.add(DriftStatus.SPLIT);
        }

        Instant graceEndsAt = null;
        boolean inFlight = false;
        Release leader = null;
        List<String> leaderMembers = List.of();
        if (p.behind()) {
            graceEndsAt = p.behindSince().plus(input.gracePeriod());
            inFlight = signals.inFlightReleaseIds().contains(p.newest().id());
            boolean withinGrace = input.now().isBefore(graceEndsAt);
            statuses.add(waiting != null ? waiting : inFlight || withinGrace ? DriftStatus.IN_FLIGHT : DriftStatus.STUCK);

            leader = leaderAmongOthers(p, positions, groupMembers);
            if (leader != null && ReleaseStream.isNewer(leader, p.current())) {
                statuses.add(DriftStatus.SPLIT);
                leaderMembers = membersOn(leader, p, positions, groupMembers);
            } else {
                leader = null;
            }
        }

        String upstream = null;
        Release upstreamRelease = null;
        // a remote upstream replaces any local environment of the same name; an unreachable one is not compared
        PinPosition up = remote != null ? (unreachable != null ? null : remote.position(p))
                : env.upstream() == null ? null
                : positions.get(new PinKey(env.upstream(), p.key().template(), p.key().region()));
        String upstreamName = remote != null ? remote.state().upstream().label() : env.upstream();
        Pin upstreamPin = null;
        if (unreachable != null) {
            upstream = upstreamName;
        } else if (up != null && up.current() != null && ReleaseStream.isNewer(p.current(), up.current())) {
            statuses.add(DriftStatus.AHEAD_OF_UPSTREAM);
            upstream = upstreamName;
            upstreamRelease = up.current();
        } else if (up != null && up.current() != null && ReleaseStream.isNewer(up.current(), p.current())
                && up.pin().promotedAt() != null
                && !input.now().isBefore(up.pin().promotedAt().plus(input.gracePeriod()))) {
            statuses.add(waiting != null ? waiting : DriftStatus.BEHIND_UPSTREAM);
            upstream = upstreamName;
            upstreamRelease = up.current();
            upstreamPin = up.pin();
        }
        return new Verdict(statuses, graceEndsAt, inFlight, leader, leaderMembers, upstream, upstreamRelease, holdReason,
                offRelease, upstreamPin, unreachable, waiting == null ? null : gate.message());
    }

    /**
     * The expected wait a refusal of the catch-up stands for, or null when it is none (a fence, an image
     * check, "never ran upstream"): the pin is then judged as if the gate had not been asked.
     */
    static DriftStatus waitingOn(Problem refusal) {
        return switch (refusal) {
            case SOAKING -> DriftStatus.SOAKING;
            case APPROVAL_REQUIRED -> DriftStatus.AWAITING_APPROVAL;
            case FROZEN, LINE_STOPPED -> DriftStatus.FROZEN;
            default -> null;
        };
    }

    /**
     * Other members of the group, in the same environment and region, pinned to a digest that no
     * registered release of the group holds: the seed incident's shape through the seed endpoint
     * (one member moved to a fresh build, the rest left on the last release).
     */
    private static List<String> offReleaseMembers(PinPosition p, Map<PinKey, PinPosition> positions, List<Template> members) {
        return others(p, positions, members).stream().filter(PinPosition::unknown).map(o -> o.key().template()).toList();
    }

    /** Other members of the group, in the same environment and region, on a registered release. */
    private static List<String> onReleaseMembers(PinPosition p, Map<PinKey, PinPosition> positions, List<Template> members) {
        return others(p, positions, members).stream().filter(o -> o.current() != null).map(o -> o.key().template()).toList();
    }

    /**
     * Only environments that require provenance (at any level) flag it: one that never asked would
     * show every pin moved by a person or a non-OIDC pipeline, i.e. all of them, and a flag that is
     * always on is a flag nobody reads.
     */
    private static boolean unverified(Pin pin, Environment env) {
        return env.requireProvenance() && pin.provenanceKindShown() != ProvenanceKind.VERIFIED;
    }

    /** The newest release any other member of the group runs in the same environment and region. */
    private static Release leaderAmongOthers(PinPosition p, Map<PinKey, PinPosition> positions, List<Template> members) {
        Release leader = null;
        for (PinPosition other : others(p, positions, members)) {
            if (other.current() != null && (leader == null || ReleaseStream.isNewer(other.current(), leader))) {
                leader = other.current();
            }
        }
        return leader;
    }

    private static List<String> membersOn(Release release, PinPosition p, Map<PinKey, PinPosition> positions,
                                          List<Template> members) {
        List<String> names = new ArrayList<>();
        for (PinPosition other : others(p, positions, members)) {
            if (other.current() != null && other.current().id().equals(release.id())) {
                names.add(other.key().template());
            }
        }
        return names;
    }

    private static List<PinPosition> others(PinPosition p, Map<PinKey, PinPosition> positions, List<Template> members) {
        List<PinPosition> out = new ArrayList<>();
        for (Template m : members) {
            if (!m.name().equals(p.key().template())) {
                PinPosition other = positions.get(new PinKey(p.key().environment(), m.name(), p.key().region()));
                if (other != null) {
                    out.add(other);
                }
            }
        }
        return out;
    }

    private static DriftFinding finding(PinPosition p, Environment env, Verdict v, DriftInput input) {
        DriftStatus primary = v.primary();
        Set<DriftStatus> flags = EnumSet.noneOf(DriftStatus.class);
        flags.addAll(v.statuses());
        flags.remove(primary);
        flags.remove(DriftStatus.CURRENT);
        Pin pin = p.pin();
        String currentVersion = p.current() != null ? p.current().runtimeVersion() : pin == null ? null : pin.runtimeVersion();
        Duration age = pin == null || pin.promotedAt() == null ? null
                // a pin stamped slightly in the future (server clock skew) is treated as just promoted
                : max(Duration.between(pin.promotedAt(), input.now()), Duration.ZERO);
        return new DriftFinding(p.key().environment(), p.key().template(), p.key().region(), p.group(), primary, flags,
                pin == null ? null : pin.digest(),
                p.current() == null ? null : p.current().id(), currentVersion,
                p.newest() == null ? null : p.newest().id(), p.newest() == null ? null : p.newest().runtimeVersion(),
                p.newer().size(), p.behindSince(), age,
                DriftExplanation.sentence(p, env, v, primary, input.gracePeriod(), input.now()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One pin per key; if a caller merged replicas and passes two, the higher version is the newer pin. */
    private static Map<PinKey, Pin> index(List<Pin> pins, Set<String> environments) {
        Map<PinKey, Pin> out = new HashMap<>();
        for (Pin pin : pins) {
            if (environments.contains(pin.key().environment())) {
                out.merge(pin.key(), pin, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
        return out;
    }

    private static final List<String> GLOBAL_ONLY = List.of(Names.DEFAULT_REGION);

    /** Per template: {@code global} first, then every other region pinned for it anywhere, alphabetically. */
    private static Map<String, List<String>> regionsByTemplate(Set<PinKey> pinned) {
        Map<String, Set<String>> others = new HashMap<>();
        for (PinKey key : pinned) {
            if (!key.region().equals(Names.DEFAULT_REGION)) {
                others.computeIfAbsent(key.template(), t -> new TreeSet<>()).add(key.region());
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        others.forEach((template, regions) -> {
            List<String> list = new ArrayList<>(regions.size() + 1);
            list.add(Names.DEFAULT_REGION);
            list.addAll(regions);
            out.put(template, list);
        });
        return out;
    }
}
