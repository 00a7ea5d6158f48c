package io.lockstep.service;

import io.lockstep.domain.Events;
import io.lockstep.domain.LineStop;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stop the line: anyone who may promote into an environment may stop it (pulling the cord must not wait
 * for an admin); lifting a stop takes an admin or the one who set it, so a stop cannot be waved away by
 * the pipeline it is meant to hold. Stops live in the store, so they outlast restarts and every replica
 * sees them; the gate reads them inside each promote's transaction.
 */
public final class LineStopService {
    /** At most this many stops are listed with {@code all}: the newest, lifted ones included. */
    public static final int LIST_LIMIT = 200;
    private static final Pattern FOR = Pattern.compile("(\\d{1,6})([smhd])");

    private final Store store;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;

    public LineStopService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock) {
        this.store = store;
        this.environments = environments;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /**
     * Stops {@code environment} (or only {@code group} in it) from now, until {@code until}, or for {@code forDuration}
     * (a duration like {@code 4h}), or until lifted when both are null.
     */
    public LineStop stop(String environment, String group, String reason, String until, String forDuration, String actor) {
        String env = environments.require(environment).name();
        if (reason == null || reason.isBlank()) {
            throw invalid("reason is required: say why the line is stopped (it is shown to everyone it refuses).");
        }
        String why = Names.optionalNotes(reason.strip());
        if (group != null) {
            Names.require("group", group);
            TreeSet<String> known = new TreeSet<>();
            for (Template t : snapshot.get().templates()) {
                if (t.group() != null) {
                    known.add(t.group());
                }
            }
            if (!known.contains(group)) {
                throw invalid("No template is in group " + Names.quoteForError(group) + "; known groups: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ". Omit group to stop all of " + env + ".");
            }
        }
        if (until != null && forDuration != null) {
            throw new LockstepException(Problem.CONFLICTING_FIELDS, "Give until or for, not both.");
        }
        Instant now = clock.instant();
        Instant end = null;
        if (until != null) {
            try {
                end = java.time.OffsetDateTime.parse(until).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid("until must be a time with its offset, like 2026-12-01T14:00:00Z; got "
                        + Names.quoteForError(until) + ".");
            }
            if (!end.isAfter(now)) {
                throw invalid("until (" + end + ") has already passed; a stop must end in the future, or omit it.");
            }
        } else if (forDuration != null) {
            Matcher m = FOR.matcher(forDuration.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw invalid("for must be a duration like 30m, 4h or 2d; got " + Names.quoteForError(forDuration) + ".");
            }
            long n = Long.parseLong(m.group(1));
            end = now.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        LineStop stop = new LineStop(UUID.randomUUID().toString(), env, group, why, actor, now, end);
        store.write(tx -> {
            tx.saveLineStop(stop);
            tx.appendEvent(Events.freezeStarted(stop));
            return null;
        });
        return stop;
    }

    /** The stops in force now; with {@code all}, the newest {@value #LIST_LIMIT}, lifted and ended ones too. */
    public List<LineStop> list(String environment, boolean all) {
        String env = environments.require(environment).name();
        List<LineStop> stops = store.lineStops(env, LIST_LIMIT);
        if (all) {
            return stops;
        }
        Instant now = clock.instant();
        return stops.stream().filter(s -> s.activeAt(now)).toList();
    }

    /** Lifts a stop; {@code admin}: whether the caller may lift anyone's (else only their own). */
    public LineStop lift(String environment, String id, String actor, boolean admin, String reason) {
        String env = environments.require(environment).name();
        String why = Names.optionalNotes(reason == null || reason.isBlank() ? null : reason.strip());
        Instant now = clock.instant();
        return store.write(tx -> {
            LineStop stop = tx.lineStop(env, id).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_FREEZE,
                    "No freeze " + Names.quoteForError(id) + " in " + env + "; see GET /api/v1/environments/" + env
                            + "/freezes."));
            if (stop.liftedAt() != null) {
                throw new LockstepException(Problem.UNKNOWN_FREEZE, "Freeze " + id + " in " + env + " was already lifted by "
                        + stop.liftedBy() + " at " + stop.liftedAt() + ".");
            }
            if (!admin && !stop.stoppedBy().equals(actor)) {
                throw new LockstepException(Problem.FORBIDDEN, "Only " + stop.stoppedBy() + ", who stopped " + stop.scope()
                        + ", or a token with scope admin may lift this freeze; " + actor + " may not.");
            }
            tx.liftLineStop(env, id, now, actor, why);
            LineStop lifted = stop.lifted(now, actor, why);
            tx.appendEvent(Events.freezeLifted(lifted));
            return lifted;
        });
    }

    /** Stops in force now, per environment (every hosted environment present, 0 when none). */
    public Map<String, Integer> activeCounts() {
        Instant now = clock.instant();
        Map<String, Integer> counts = new TreeMap<>();
        environments.all().forEach(e -> counts.put(e.name(), 0));
        for (LineStop s : store.unliftedLineStops()) {
            if (s.activeAt(now) && counts.containsKey(s.environment())) {
                counts.merge(s.environment(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static LockstepException invalid(String message) {
        return new LockstepException(Problem.INVALID_FREEZE, message);
    }
}
