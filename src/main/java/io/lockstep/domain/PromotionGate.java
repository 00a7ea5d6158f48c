package io.lockstep.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one answer to "may this change of pins be applied in this environment?". Every way a pin
 * moves (a promote, native or seed-compatible; a release promote; a rollback; auto-promotion by a
 * watch) asks it once, inside the write transaction, with the facts read in that transaction, so
 * no replica can race past a rule. It returns every reason that refuses, in a fixed order; the
 * first decides the answer's status and code (see {@link Refusal#exception(List)}).
 *
 * <p>The rules, in that order:
 * <ol>
 *   <li>{@code HELD}: an {@linkplain Origin#AUTO automatic} change may not move a pin a person set
 *       by hand (the hold's reason says why); a person's own change releases the hold.</li>
 *   <li>{@code RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT}: a release moves only into environments its
 *       registrants vouched for.</li>
 *   <li>{@code TEMPLATE_NOT_PINNABLE} (or {@code UNKNOWN_TEMPLATE} if it is gone): every template
 *       the change moves must be pinnable.</li>
 *   <li>{@code PROVENANCE_REQUIRED}: an environment with {@code require_provenance: true} takes no
 *       change without at least {@code ci_run} and {@code commit}, or verified claims; with
 *       {@code require_provenance: verified}, {@code VERIFIED_PROVENANCE_REQUIRED} (403) refuses every
 *       change not made by a verified CI identity (an OIDC ID token), whatever it declares. Both apply
 *       to every change, rollbacks included: a rollback carries provenance like a promote, or an
 *       environment that asks who moved its pins would have a door that does not ask.</li>
 *   <li>{@code INCOMPLETE_RELEASE}: a release must name every pinnable member of its group as the
 *       group is now, not as it was when the release was registered.</li>
 *   <li>{@code NOT_IN_UPSTREAM} (422) and {@code SOAKING} (409, retryable, with {@code retry_after_seconds}):
 *       an environment with {@code requires: {upstream, soak}} takes a digest (each member's, for a release)
 *       only while the upstream environment's pin of the same template and region is at that digest, and
 *       only once it has been there for {@code soak}. The soak counts from the pin's
 *       {@code promoted_at}, i.e. its latest arrival at that digest: a pin that moved away and back has
 *       soaked only since it came back, because what ran in between is what staging last tested. One
 *       {@code NOT_IN_UPSTREAM} names every member missing upstream; one {@code SOAKING} gives the
 *       latest end. With {@code min_converged}, {@code UPSTREAM_NOT_CONVERGED} (409, retryable, no known end)
 *       names every member that too few of the upstream's live instances run yet (the fleet's reports are
 *       read before the transaction, like the image check: they are written outside the write lock).
 *       A <b>rollback skips this rule</b>: it can only return to a digest from this pin's own
 *       history, which already ran here, and a soak must never stand between an incident and the way
 *       back (the other rules, fences and provenance included, still apply).</li>
 *   <li>{@code APPROVAL_REQUIRED} (403): an environment with {@code approvals: {count, from_scopes,
 *       distinct_from_promoter, expire_after}} takes a change only with {@code count} approvals of that very
 *       change (the release, for a release promote or a watch's release; the template, digest and region, for
 *       a promote of one pin), each live at {@code now} (unexpired — one expiring exactly at {@code now} no
 *       longer counts —, not revoked, not used), by distinct identities that held one of {@code from_scopes}
 *       when they approved and, with {@code distinct_from_promoter}, not by {@link Proposal#actor()}. The
 *       refusal says how many more are needed from whom; {@link #countedApprovals} are the ones the change
 *       uses up. A <b>rollback skips this rule</b>, for the soak's reason: it returns to what already ran
 *       here, and an incident must not wait for a second pair of eyes.</li>
 *   <li>the image check ({@code IMAGE_NOT_FOUND}, {@code REGISTRY_UNAVAILABLE}, …): its result is a
 *       fact because asking the registry is I/O that must not hold the write lock.</li>
 *   <li>{@code FENCED}: one refusal for each fence active at {@code now}, the one ending last first:
 *       its {@code Retry-After} is when a retry can succeed, so a client can tell at once whether
 *       waiting fits its budget.</li>
 *   <li>{@code FROZEN}: one refusal for each of the environment's {@code freeze_windows} active at
 *       {@code now}, the one ending last first, with {@code retry_after_seconds} until it ends. A
 *       {@linkplain Origin#ROLLBACK rollback} is not refused: it only returns a pin to a digest this
 *       environment already ran, and it is the way out when a change made before the freeze (or a
 *       break in what the pin points at) has to be undone while the freeze lasts; a freeze keeps new
 *       things out, it must not keep a known-bad one in.</li>
 *   <li>{@code LINE_STOPPED} (409, retryable): one refusal for each {@link LineStop} active at {@code now}
 *       that covers the change (a stop of the environment covers every pin; a stop of a group covers the pins
 *       of templates in that group and a promote of a release of that group), open-ended ones first, then the
 *       one ending last; {@code retry_after_seconds} only when the stop has an end. A rollback is not refused,
 *       for the reason a freeze window lets it through.</li>
 *   <li>{@code DIGEST_CONFLICT}: a compare-and-set promote finds the pin at another digest.</li>
 * </ol>
 *
 * <p><b>Break-glass</b>: a proposal with an {@linkplain Proposal#override() override} (an admin's reason)
 * is not refused for the {@linkplain #OVERRIDABLE policy clauses}; {@link #decide} says which refusals it
 * overrode so the history can record them. Everything else still refuses: fences are machine locks with
 * their own lift, and provenance, pinnability, completeness, vouching, the image check and a
 * compare-and-set conflict say the change itself is wrong, which no reason can make right.
 */
public final class PromotionGate {
    private PromotionGate() {
    }

    /** The policy clauses an admin's break-glass override lifts for one change; every other refusal stands. */
    public static final java.util.Set<Problem> OVERRIDABLE = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            Problem.NOT_IN_UPSTREAM, Problem.SOAKING, Problem.UPSTREAM_NOT_CONVERGED, Problem.APPROVAL_REQUIRED,
            Problem.FROZEN, Problem.LINE_STOPPED));

    /**
     * The gate's answer: what still refuses, and what an override lifted (empty without one, or when the
     * override met no policy refusal).
     */
    public record Decision(List<Refusal> refusals, List<Problem> overrode) {
        public Decision {
            refusals = List.copyOf(refusals);
            overrode = List.copyOf(overrode);
        }
    }

    /** Who or what asks for the change; some rules apply to some origins only. */
    public enum Origin {
        /** A promote of one pin by a person or a pipeline. */
        MANUAL,
        /** A promote of a whole release by a person or a pipeline. */
        RELEASE,
        /** A rollback to a digest from the pin's history. */
        ROLLBACK,
        /** A watch promoting what it discovered (one pin or a release). */
        AUTO
    }

    /**
     * The change asked for.
     *
     * @param pins           every pin the change moves (their templates must be pinnable)
     * @param provenance     validated provenance of the change (empty if none)
     * @param release        the release being promoted, or null
     * @param expectedDigest for a compare-and-set promote of one pin, the digest it must be at now; else null
     * @param provenanceKind whether {@code provenance} holds verified claims or only what the caller declared
     * @param digests        for a promote of one pin, the digest it would move to (a release's come from the release)
     * @param actor          the identity making the change (the token's name), or null when not known; approvals
     *                       count only identities other than this one (four-eyes)
     * @param override       break-glass: the reason an admin gave to override the policy gates for this one
     *                       change, or null (no override)
     */
    public record Proposal(Environment environment, Origin origin, List<PinKey> pins, Map<String, String> provenance,
                           Release release, String expectedDigest, ProvenanceKind provenanceKind,
                           Map<PinKey, String> digests, String actor, String override) {
        public Proposal {
            pins = List.copyOf(pins);
            provenance = provenance == null ? Map.of() : provenance;
            provenanceKind = ProvenanceKind.of(provenanceKind, provenance);
            digests = digests == null ? Map.of() : Map.copyOf(digests);
        }

        public Proposal(Environment environment, Origin origin, List<PinKey> pins, Map<String, String> provenance,
                        Release release, String expectedDigest, ProvenanceKind provenanceKind,
                        Map<PinKey, String> digests) {
            this(environment, origin, pins, provenance, release, expectedDigest, provenanceKind, digests, null, null);
        }

        /** The same change, made by {@code actor}. */
        public Proposal by(String actor) {
            return new Proposal(environment, origin, pins, provenance, release, expectedDigest, provenanceKind, digests,
                    actor, override);
        }

        /** The same change, with an admin's break-glass {@code reason} (null: none). */
        public Proposal overriding(String reason) {
            return new Proposal(environment, origin, pins, provenance, release, expectedDigest, provenanceKind, digests,
                    actor, reason);
        }

        public Proposal(Environment environment, Origin origin, List<PinKey> pins, Map<String, String> provenance,
                        Release release, String expectedDigest, ProvenanceKind provenanceKind) {
            this(environment, origin, pins, provenance, release, expectedDigest, provenanceKind, null);
        }

        /** The digest {@code key} would move to, or null if not known (a rollback's is found in the transaction). */
        public String digestFor(PinKey key) {
            String d = digests.get(key);
            return d != null || release == null ? d : release.images().get(key.template());
        }

        /** A change whose provenance, if any, is only declared. */
        public Proposal(Environment environment, Origin origin, List<PinKey> pins, Map<String, String> provenance,
                        Release release, String expectedDigest) {
            this(environment, origin, pins, provenance, release, expectedDigest, null);
        }
    }

    /**
     * What is true when the change would be applied, read inside its write transaction.
     *
     * @param templates  the templates the change moves, and for a release every template (completeness)
     * @param current    the pin a compare-and-set promote compares against (empty: no pin yet)
     * @param imageCheck why the image check before the transaction refused, or null if it passed (or was not asked)
     * @param holds      the pins automatic changes must leave alone, with the reason; only the ones this change moves matter
     * @param upstream   for an environment with {@code requires}, the upstream's pin of each moved key's template
     *                   and region, keyed by the moved key (absent: the upstream has no such pin)
     * @param upstreamConverged for an environment with {@code requires.min_converged}, the share (0 to 1) of the
     *                   upstream's live instances of each moved key's template and region that run the digest this
     *                   change moves it to, keyed by the moved key (absent: no live instance reports)
     * @param stops      the environment's stops of the line not lifted yet (the gate checks which are active)
     * @param approvals  for an environment with {@code approvals}, the approvals given there for this change's
     *                   release or digests (live or not; the gate decides which count)
     * @param pinned     each moved pin's digest now, where the environment has a policy (absent: no pin yet, or
     *                   not read); a change that would move none of them is not held by a policy ({@link #unchanged})
     */
    public record Facts(Instant now, List<Fence> fences, Collection<Template> templates, Optional<Pin> current,
                        Refusal imageCheck, Map<PinKey, String> holds, Map<PinKey, Pin> upstream,
                        Map<PinKey, Double> upstreamConverged, List<LineStop> stops, List<Approval> approvals,
                        Map<PinKey, String> pinned) {
        public Facts {
            pinned = pinned == null ? Map.of() : pinned;
            stops = stops == null ? List.of() : List.copyOf(stops);
            approvals = approvals == null ? List.of() : List.copyOf(approvals);
            fences = List.copyOf(fences);
            templates = List.copyOf(templates);
            current = current == null ? Optional.empty() : current;
            holds = holds == null ? Map.of() : holds;
            upstream = upstream == null ? Map.of() : upstream;
            upstreamConverged = upstreamConverged == null ? Map.of() : upstreamConverged;
        }

        public Facts(Instant now, List<Fence> fences, Collection<Template> templates, Optional<Pin> current,
                     Refusal imageCheck, Map<PinKey, String> holds, Map<PinKey, Pin> upstream,
                     Map<PinKey, Double> upstreamConverged) {
            this(now, fences, templates, current, imageCheck, holds, upstream, upstreamConverged, null, null, null);
        }

        public Facts(Instant now, List<Fence> fences, Collection<Template> templates, Optional<Pin> current,
                     Refusal imageCheck, Map<PinKey, String> holds, Map<PinKey, Pin> upstream) {
            this(now, fences, templates, current, imageCheck, holds, upstream, null, null, null, null);
        }

        public Facts(Instant now, List<Fence> fences, Collection<Template> templates, Optional<Pin> current,
                     Refusal imageCheck, Map<PinKey, String> holds) {
            this(now, fences, templates, current, imageCheck, holds, null);
        }

        /** The same facts with the environment's stops of the line. */
        public Facts withStops(List<LineStop> stops) {
            return new Facts(now, fences, templates, current, imageCheck, holds, upstream, upstreamConverged, stops,
                    approvals, pinned);
        }

        /** The same facts with the approvals given for the change. */
        public Facts withApprovals(List<Approval> approvals) {
            return new Facts(now, fences, templates, current, imageCheck, holds, upstream, upstreamConverged, stops,
                    approvals, pinned);
        }

        /** The same facts with each moved pin's digest now. */
        public Facts withPinned(Map<PinKey, String> pinned) {
            return new Facts(now, fences, templates, current, imageCheck, holds, upstream, upstreamConverged, stops,
                    approvals, pinned);
        }
    }

    /** Every reason {@code proposal} may not be applied given {@code facts}; empty means it may. */
    public static List<Refusal> refusals(Proposal proposal, Facts facts) {
        List<Refusal> out = new ArrayList<>();
        Environment env = proposal.environment();
        if (proposal.origin() == Origin.AUTO) {
            for (PinKey key : proposal.pins()) {
                String reason = facts.holds().get(key);
                if (reason != null) {
                    out.add(new Refusal(Problem.HELD, "The pin " + key + " is held: " + reason + ".",
                            Map.of("pin", key.toString())));
                }
            }
        }
        if (proposal.release() != null && !proposal.release().registrants().vouchFor(env.name())) {
            out.add(proposal.release().notVouchedFor(env.name()));
        }
        for (PinKey key : proposal.pins()) {
            Optional<Template> t = facts.templates().stream().filter(x -> x.name().equals(key.template())).findFirst();
            if (t.isEmpty()) {
                out.add(new Refusal(Problem.UNKNOWN_TEMPLATE_REFERENCED, "No template named "
                        + Names.quoteForError(key.template()) + " is registered; see GET /cp/runtimes for the known templates."));
            } else if (!t.get().pinnable()) {
                out.add(new Refusal(Problem.TEMPLATE_NOT_PINNABLE, "Template " + key.template() + " is not pinnable."));
            }
        }
        provenanceRefusal(env, proposal).ifPresent(out::add);
        if (proposal.release() != null) {
            Release release = proposal.release();
            List<String> joinedSince = ReleaseCompleteness.missing(release.group(), release.images(), release.exclude(),
                    facts.templates());
            if (!joinedSince.isEmpty()) {
                out.add(new Refusal(Problem.INCOMPLETE_RELEASE, "Release " + release.id()
                        + " leaves out " + String.join(", ", joinedSince) + ", which joined group " + release.group()
                        + " after it was registered; register a new release that names each of them (in images, or in"
                        + " exclude with a reason).", Map.of("missing", joinedSince)));
            }
        }
        if (env.requires() != null && proposal.origin() != Origin.ROLLBACK) {
            out.addAll(stageRefusals(env, proposal, facts));
        }
        if (env.approvals() != null && proposal.origin() != Origin.ROLLBACK) {
            approvalRefusal(env, proposal, facts).ifPresent(out::add);
        }
        if (facts.imageCheck() != null) {
            out.add(facts.imageCheck());
        }
        for (Fence f : endingLastFirst(facts.fences())) {
            if (f.environment().equals(env.name()) && f.activeAt(facts.now())) {
                out.add(fenced(env, f, facts.now()));
            }
        }
        if (proposal.origin() != Origin.ROLLBACK && !env.freezeWindows().isEmpty()) {
            frozen(env, facts.now()).forEach(out::add);
        }
        if (proposal.origin() != Origin.ROLLBACK && !facts.stops().isEmpty()) {
            out.addAll(lineStopped(env, proposal, facts));
        }
        if (proposal.expectedDigest() != null) {
            String actual = facts.current().map(Pin::digest).orElse(null);
            if (!proposal.expectedDigest().equals(actual)) {
                PinKey key = proposal.pins().get(0);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("current_digest", actual);
                details.put("expected_digest", proposal.expectedDigest());
                out.add(new Refusal(Problem.DIGEST_CONFLICT, "The " + key.template() + " pin in "
                        + key.environment() + "/" + key.region() + " is at " + (actual == null ? "no digest (no pin yet)" : actual)
                        + ", not the expected " + proposal.expectedDigest() + "; read the pin again and retry with its current digest.",
                        details));
            }
        }
        return out;
    }

    /**
     * {@link #refusals}, less the {@link #OVERRIDABLE} ones when the proposal carries an override; those are
     * named in {@link Decision#overrode()}, in gate order, each once.
     */
    public static Decision decide(Proposal proposal, Facts facts) {
        List<Refusal> all = refusals(proposal, facts);
        if (unchanged(proposal, facts)) {
            // Nothing would move: a pipeline repeating a promote that already went through (a retry after a
            // lost answer) must not be refused by a policy, nor use up an approval. Other rules still answer.
            all = all.stream().filter(r -> !OVERRIDABLE.contains(r.problem())).toList();
        }
        if (proposal.override() == null) {
            return new Decision(all, List.of());
        }
        List<Refusal> standing = new ArrayList<>();
        java.util.Set<Problem> overrode = new java.util.LinkedHashSet<>();
        for (Refusal r : all) {
            if (OVERRIDABLE.contains(r.problem())) {
                overrode.add(r.problem());
            } else {
                standing.add(r);
            }
        }
        return new Decision(standing, List.copyOf(overrode));
    }

    /**
     * True when the change would move no pin: each moved pin is already at the digest asked for. The policies
     * guard changes; a repeat of one already made is not held by them (a rollback is never "unchanged").
     */
    public static boolean unchanged(Proposal proposal, Facts facts) {
        if (proposal.origin() == Origin.ROLLBACK || proposal.pins().isEmpty() || facts.pinned().isEmpty()) {
            return false;
        }
        for (PinKey key : proposal.pins()) {
            String digest = proposal.digestFor(key);
            if (digest == null || !digest.equals(facts.pinned().get(key))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Throws the one error that lists every refusal (the first decides status and code); returns, if none,
     * the policy refusals an override lifted (empty without an override).
     */
    public static List<Problem> require(Proposal proposal, Facts facts) {
        Decision decision = decide(proposal, facts);
        if (!decision.refusals().isEmpty()) {
            throw Refusal.exception(decision.refusals());
        }
        return decision.overrode();
    }

    /**
     * The messages name what is missing, not how to write it: an example body would teach whoever holds
     * a shared token to paste a CI run in by hand.
     */
    private static Optional<Refusal> provenanceRefusal(Environment env, Proposal proposal) {
        boolean verified = proposal.provenanceKind() == ProvenanceKind.VERIFIED;
        return switch (env.provenance()) {
            case NONE -> Optional.empty();
            case DECLARED -> verified || Provenance.isComplete(proposal.provenance()) ? Optional.empty()
                    : Optional.of(new Refusal(Problem.PROVENANCE_REQUIRED, "Environment " + env.name()
                    + " requires every change to carry the provenance of the CI run that makes it, and this one has"
                    + " none or only part of it; make the change from that CI pipeline."));
            case VERIFIED -> verified ? Optional.empty()
                    : Optional.of(new Refusal(Problem.VERIFIED_PROVENANCE_REQUIRED, "Environment " + env.name()
                    + " accepts changes only from a verified CI identity (an OIDC ID token of a configured issuer);"
                    + " this change was made with " + proposal.provenanceKind().wire() + " provenance."));
        };
    }

    /**
     * {@code requires}: every moved pin's digest must be the upstream's current pin of the same template and
     * region, and have been since {@code now - soak} (exactly {@code soak} is enough).
     */
    private static List<Refusal> stageRefusals(Environment env, Proposal proposal, Facts facts) {
        StageRequirement req = env.requires();
        List<String> missing = new ArrayList<>();
        List<String> unconverged = new ArrayList<>();
        Instant soakedAt = null;
        for (PinKey key : proposal.pins()) {
            String digest = proposal.digestFor(key);
            if (digest == null) {
                continue;
            }
            Pin up = facts.upstream().get(key);
            if (up == null || !up.digest().equals(digest)) {
                missing.add(key.template() + "@" + digest + " (" + req.upstream() + "/" + key.region() + " runs "
                        + (up == null ? "no pin" : up.digest()) + ")");
                continue;
            }
            Instant ends = up.promotedAt().plus(req.soak());
            if (facts.now().isBefore(ends) && (soakedAt == null || ends.isAfter(soakedAt))) {
                soakedAt = ends;
            }
            Double share = facts.upstreamConverged().get(key);
            if (req.minConverged() != null && (share == null || share < req.minConverged())) {
                unconverged.add(key.template() + " (" + (share == null ? "no live instance in " + req.upstream() + "/"
                        + key.region() + " reports yet" : percent(share) + " of " + req.upstream() + "/" + key.region()
                        + "'s live instances run it") + ")");
            }
        }
        List<Refusal> out = new ArrayList<>();
        String what = proposal.release() != null ? "release " + proposal.release().id() : "this digest";
        if (!missing.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("upstream", req.upstream());
            details.put("missing", List.copyOf(missing));
            out.add(new Refusal(Problem.NOT_IN_UPSTREAM, "Environment " + env.name() + " requires " + what
                    + " to run in " + req.upstream() + " first" + soakWords(req) + ", and " + req.upstream()
                    + " does not run " + String.join(", ", missing) + "; promote it to " + req.upstream() + " first.",
                    details));
        }
        if (soakedAt != null) {
            long retryAfter = Math.max(1, Duration.between(facts.now(), soakedAt).plusNanos(999_999_999).toSeconds());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("upstream", req.upstream());
            details.put("soak_seconds", req.soak().toSeconds());
            details.put("soaked_at", soakedAt.toString());
            details.put("retry_after_seconds", retryAfter);
            out.add(new Refusal(Problem.SOAKING, "Environment " + env.name() + " requires " + what + " to soak in "
                    + req.upstream() + " for " + req.soak().toSeconds() + " s: soaking in " + req.upstream() + " until "
                    + soakedAt + "; retry after " + retryAfter + " s.", details));
        }
        if (!unconverged.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("upstream", req.upstream());
            details.put("min_converged", req.minConverged());
            details.put("members", List.copyOf(unconverged));
            out.add(new Refusal(Problem.UPSTREAM_NOT_CONVERGED, "Environment " + env.name() + " requires " + what
                    + " to run on at least " + percent(req.minConverged()) + " of " + req.upstream()
                    + "'s live instances first: " + String.join(", ", unconverged) + "; retry once " + req.upstream()
                    + "'s fleet has converged (lockstep rollout status --environment " + req.upstream() + ").", details));
        }
        return out;
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + "%";
    }

    /**
     * The approvals that let {@code proposal} through, one per distinct approver (the earliest given), or
     * fewer than {@code count} when it may not pass; empty where the environment asks for none or for a rollback.
     */
    public static List<Approval> countedApprovals(Proposal proposal, Facts facts) {
        ApprovalPolicy policy = proposal.environment().approvals();
        if (policy == null || proposal.origin() == Origin.ROLLBACK) {
            return List.of();
        }
        Map<String, Approval> byApprover = new LinkedHashMap<>();
        List<Approval> sorted = new ArrayList<>(facts.approvals());
        sorted.sort(Comparator.comparing(Approval::approvedAt));
        for (Approval a : sorted) {
            if (approvesChange(a, proposal) && a.liveAt(facts.now()) && policy.scopeCounts(a.approverScopes())
                    && !(policy.distinctFromPromoter() && a.approver().equals(proposal.actor()))) {
                byApprover.putIfAbsent(a.approver(), a);
            }
        }
        return List.copyOf(byApprover.values());
    }

    /** A release's approval for a release promote; each pin's own approval for a promote of one pin. */
    private static boolean approvesChange(Approval a, Proposal proposal) {
        if (proposal.release() != null) {
            return a.approves(proposal.release().id());
        }
        for (PinKey key : proposal.pins()) {
            if (!a.approves(key, proposal.digestFor(key))) {
                return false;
            }
        }
        return !proposal.pins().isEmpty();
    }

    private static Optional<Refusal> approvalRefusal(Environment env, Proposal proposal, Facts facts) {
        ApprovalPolicy policy = env.approvals();
        List<Approval> counted = countedApprovals(proposal, facts);
        if (counted.size() >= policy.count()) {
            return Optional.empty();
        }
        int more = policy.count() - counted.size();
        String what = proposal.release() != null ? "release " + proposal.release().id()
                : proposal.pins().size() == 1 ? Approval.subjectOf(null, proposal.pins().get(0).template(),
                proposal.digestFor(proposal.pins().get(0)), proposal.pins().get(0).region()) : "this change";
        String scopes = String.join(" or ", policy.fromScopes());
        List<String> approvers = counted.stream().map(Approval::approver).toList();
        List<String> excluded = new ArrayList<>();
        if (policy.distinctFromPromoter() && proposal.actor() != null) {
            excluded.add(proposal.actor());
        }
        excluded.addAll(approvers);
        String notBy = excluded.isEmpty() ? "" : ", not " + String.join(" or ", excluded);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("needed", policy.count());
        details.put("have", counted.size());
        details.put("approvers", approvers);
        details.put("from_scopes", policy.fromScopes());
        return Optional.of(new Refusal(Problem.APPROVAL_REQUIRED, "Environment " + env.name() + " requires "
                + policy.count() + " approval" + (policy.count() == 1 ? "" : "s") + " of " + what + " and it has "
                + counted.size() + (approvers.isEmpty() ? "" : " (by " + String.join(", ", approvers) + ")")
                + ": needs " + more + " more approval" + (more == 1 ? "" : "s") + " from a token with scope " + scopes
                + notBy
                + "; lockstep approve, or POST /api/v1/environments/" + env.name() + "/approvals.", details));
    }

    private static String soakWords(StageRequirement req) {
        return req.soak().isZero() ? "" : " for " + req.soak().toSeconds() + " s";
    }

    /** Every promote passes here and almost never meets a fence, so the common case allocates nothing. */
    private static List<Fence> endingLastFirst(List<Fence> fences) {
        if (fences.size() < 2) {
            return fences;
        }
        List<Fence> sorted = new ArrayList<>(fences);
        sorted.sort(Comparator.comparing(Fence::expiresAt).reversed());
        return sorted;
    }

    private static List<Refusal> frozen(Environment env, Instant now) {
        List<FreezeWindow.Occurrence> active = new ArrayList<>();
        for (FreezeWindow w : env.freezeWindows()) {
            w.activeAt(now).ifPresent(active::add);
        }
        active.sort(Comparator.comparing((FreezeWindow.Occurrence o) -> o.end().toInstant()).reversed());
        List<Refusal> out = new ArrayList<>(active.size());
        for (FreezeWindow.Occurrence o : active) {
            long retryAfter = Math.max(1, Duration.between(now, o.end().toInstant()).toSeconds() + 1);
            String until = o.end().toOffsetDateTime() + " (" + o.window().zone().getId() + ")";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("window", o.window().name());
            details.put("frozen_since", o.start().toOffsetDateTime().toString());
            details.put("frozen_until", o.end().toOffsetDateTime().toString());
            details.put("zone", o.window().zone().getId());
            details.put("retry_after_seconds", retryAfter);
            out.add(new Refusal(Problem.FROZEN, env.name() + " is frozen by window " + o.window().name() + " until "
                    + until + "; retry after " + retryAfter + " s (a rollback is still allowed).", details));
        }
        return out;
    }

    /** One refusal per active stop covering a moved pin (or the release's group); open-ended first, then ending last. */
    private static List<Refusal> lineStopped(Environment env, Proposal proposal, Facts facts) {
        Map<String, String> groups = new java.util.HashMap<>();
        for (Template t : facts.templates()) {
            if (t.group() != null) {
                groups.put(t.name(), t.group());
            }
        }
        List<LineStop> active = new ArrayList<>();
        for (LineStop s : facts.stops()) {
            if (!s.environment().equals(env.name()) || !s.activeAt(facts.now())) {
                continue;
            }
            boolean covers = proposal.release() != null && s.covers(proposal.release().group());
            for (PinKey key : proposal.pins()) {
                covers |= s.covers(groups.get(key.template()));
            }
            if (covers) {
                active.add(s);
            }
        }
        active.sort(Comparator.comparing((LineStop s) -> s.until() == null ? Instant.MAX : s.until()).reversed());
        List<Refusal> out = new ArrayList<>(active.size());
        for (LineStop s : active) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("freeze_id", s.id());
            details.put("group", s.group());
            details.put("stopped_by", s.stoppedBy());
            details.put("reason", s.reason());
            details.put("since", s.since().toString());
            details.put("until", s.until() == null ? null : s.until().toString());
            String until;
            if (s.until() == null) {
                until = " until it is lifted";
            } else {
                long retryAfter = Math.max(1, Duration.between(facts.now(), s.until()).toSeconds() + 1);
                details.put("retry_after_seconds", retryAfter);
                until = " until " + s.until() + " (retry after " + retryAfter + " s)";
            }
            out.add(new Refusal(Problem.LINE_STOPPED, s.scope() + " is stopped by " + s.stoppedBy() + " (" + s.reason()
                    + ")" + until + "; lift it with lockstep unfreeze --environment " + s.environment() + " " + s.id()
                    + " (admin or " + s.stoppedBy() + "); a rollback is still allowed.", details));
        }
        return out;
    }

    private static Refusal fenced(Environment env, Fence f, Instant now) {
        long retryAfter = Math.max(1, Duration.between(now, f.expiresAt()).toSeconds() + 1);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("fence_id", f.id());
        details.put("fenced_by", f.createdBy());
        details.put("reason", f.reason());
        details.put("expires_at", f.expiresAt().toString());
        details.put("retry_after_seconds", retryAfter);
        return new Refusal(Problem.FENCED, "Environment " + env.name() + " is fenced by " + f.createdBy() + " ("
                + f.reason() + ") until " + f.expiresAt() + "; retry after " + retryAfter
                + " s or ask them to lift the fence.", details);
    }
}
