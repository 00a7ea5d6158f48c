package io.lockstep.domain.drift;

import io.lockstep.domain.Digest;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.domain.Release;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one sentence a finding carries: what is wrong, named precisely, and what to do about it.
 * Releases are named by runtime version when they have one (that is what people say), else by id.
 */
final class DriftExplanation {
    private DriftExplanation() {
    }

    static String sentence(PinPosition p, Environment env, Verdict v, DriftStatus primary, Duration grace, Instant now) {
        String main = mainSentence(p, env, v, primary, grace, now);
        if (primary != DriftStatus.UPSTREAM_UNREACHABLE && v.statuses().contains(DriftStatus.UPSTREAM_UNREACHABLE)) {
            return main + " Its upstream " + v.upstream() + " could not be read: " + v.unreachableReason() + ".";
        }
        return primary != DriftStatus.BEHIND_UPSTREAM && v.statuses().contains(DriftStatus.BEHIND_UPSTREAM)
                ? main + " " + upstreamAhead(v, now, true) + "." : main;
    }

    private static String mainSentence(PinPosition p, Environment env, Verdict v, DriftStatus primary, Duration grace,
                                       Instant now) {
        String where = where(p);
        String onCurrent = p.current() == null ? null : label(p.current());
        String promoteNewest = p.newest() == null ? "promote a digest" : "promote release " + label(p.newest());
        return switch (primary) {
            case MISSING -> where + " has no pin; " + promoteNewest
                    + " there, because resolution fails closed without one.";
            case IMAGE_GONE -> where + " is pinned to " + Digest.shortForm(p.pin().digest())
                    + ", which the registry no longer has, so fresh provisions will fail; "
                    + (p.behind() || p.current() == null ? promoteNewest : "push the image again or promote another digest")
                    + ".";
            case UNKNOWN -> where + " is pinned to " + Digest.shortForm(p.pin().digest())
                    + ", which belongs to no registered release of group " + p.group() + " (a hand promote)"
                    + (v.statuses().contains(DriftStatus.SPLIT) ? ", while the rest of the group (" + String.join(", ",
                    v.leaderMembers()) + ") stays on a registered release, so group " + p.group() + " is split" : "") + "; "
                    + (p.newest() == null ? "register this build as a release."
                    : "promote release " + label(p.newest()) + " or register this build as a release.");
            case HELD -> where + " is held by hand on " + onCurrent + " (" + v.holdReason()
                    + "), so discovery will not move it" + (p.behind() ? ", " + behind(p) : "")
                    + "; promote it by hand to release the hold.";
            case STUCK -> v.statuses().contains(DriftStatus.SPLIT)
                    ? where + " is " + behind(p) + ": it is on " + onCurrent + splitTail(p, v) + "; "
                    + promoteNewest + "."
                    : where + " is on " + onCurrent + ", " + behind(p) + ", past the " + human(grace)
                    + " grace period; " + promoteNewest + ".";
            case SPLIT -> v.leader() != null
                    ? where + " is on " + onCurrent + splitTail(p, v) + "; " + promoteNewest + " (" + behind(p) + ")."
                    : where + " is on " + onCurrent + splitTail(p, v) + ", so the group no longer runs one release;"
                    + " register that build as a release and publish it to the whole group, or promote "
                    + String.join(", ", v.offRelease()) + " back to " + onCurrent + ".";
            case BEHIND_UPSTREAM -> where + " is on " + onCurrent + " (" + Digest.shortForm(p.pin().digest()) + ") while "
                    + upstreamAhead(v, now, false) + ", past the " + human(grace) + " grace period; promote release "
                    + label(v.upstreamRelease()) + " to " + p.key().environment() + ".";
            case AHEAD_OF_UPSTREAM -> where + " is on " + onCurrent + " but its upstream " + v.upstream()
                    + " is only on " + label(v.upstreamRelease()) + ", so this release skipped " + v.upstream()
                    + "; promote " + onCurrent + " to " + v.upstream() + " too.";
            case UPSTREAM_UNREACHABLE -> where + " is on " + onCurrent + ", but its upstream " + v.upstream()
                    + " could not be read (" + v.unreachableReason() + "), so whether it is behind or ahead of it is"
                    + " unknown; fix the upstream server or its token.";
            case MIRROR_STALE -> "the " + (env.mirrorTag() == null ? "mirror tag" : "mirror tag "
                    + p.template().repository() + ":" + env.mirrorTag()) + " of " + where
                    + " has not been moved to " + Digest.shortForm(p.pin().digest())
                    + " yet; retry the mirror (the pin itself is right).";
            case UNVERIFIED -> where + " was last moved by " + p.pin().promotedBy() + " with "
                    + p.pin().provenanceKindShown().wire() + " provenance, not by a verified CI identity, although "
                    + p.key().environment() + " requires provenance; check that change and make the next one from CI.";
            case SOAKING, AWAITING_APPROVAL, FROZEN -> where + " is on " + onCurrent + ", " + (p.behind() ? behind(p)
                    : "behind its upstream " + v.upstream() + " (on " + label(v.upstreamRelease()) + ")")
                    + ", and the promotion gate holds the catch-up back: " + v.gateReason();
            case IN_FLIGHT -> where + " is on " + onCurrent + " and release " + label(p.newest())
                    + (v.inFlight() ? " is being promoted right now; check again once that promotion finishes."
                    : " is within the " + human(grace) + " grace period until " + v.graceEndsAt()
                    + "; no action needed unless it is still behind then.");
            case CURRENT -> where + " is on " + onCurrent + ", the newest release of group " + p.group()
                    + "; nothing to do.";
        };
    }

    private static String splitTail(PinPosition p, Verdict v) {
        StringBuilder b = new StringBuilder();
        if (v.leader() != null) {
            List<String> members = v.leaderMembers();
            b.append(" while the rest of group ").append(p.group()).append(" (").append(String.join(", ", members))
                    .append(") ").append(members.size() == 1 ? "is" : "are").append(" on ").append(label(v.leader()));
        }
        if (!v.offRelease().isEmpty()) {
            List<String> moved = v.offRelease();
            b.append(v.leader() != null ? " and " : " while ").append("group ").append(p.group()).append(" member")
                    .append(moved.size() == 1 ? " " : "s ").append(String.join(", ", moved))
                    .append(moved.size() == 1 ? " was" : " were")
                    .append(" moved to a digest that no registered release of the group holds");
        }
        return b.toString();
    }

    /** "its upstream staging has been on v0.3.43 (sha256:…) for 12m" */
    private static String upstreamAhead(Verdict v, Instant now, boolean capital) {
        return (capital ? "Its" : "its") + " upstream " + v.upstream() + " has been on " + label(v.upstreamRelease())
                + " (" + Digest.shortForm(v.upstreamPin().digest()) + ") for "
                + since(Duration.between(v.upstreamPin().promotedAt(), now));
    }

    /** 2h5m, 12m30s, 45s: how long, to the second. */
    static String since(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }

    private static String where(PinPosition p) {
        String region = p.key().region();
        return p.key().template() + " in " + p.key().environment()
                + (Names.DEFAULT_REGION.equals(region) ? "" : " (region " + region + ")");
    }

    private static String behind(PinPosition p) {
        int n = p.newer().size();
        return n + " release" + (n == 1 ? "" : "s") + " behind since " + p.behindSince();
    }

    static String label(Release r) {
        return r.runtimeVersion() != null ? r.runtimeVersion() : r.id();
    }

    /** 30m, 2h, 45s, 1500ms: short enough for a sentence, exact enough to reason about. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
