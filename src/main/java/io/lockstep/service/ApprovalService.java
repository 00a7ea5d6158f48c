package io.lockstep.service;

import io.lockstep.domain.Approval;
import io.lockstep.domain.ApprovalPolicy;
import io.lockstep.domain.ApprovalRequest;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Events;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Approvals of a change in an environment with {@code approvals} (issue 12): given, listed with the
 * requests that wait for them, and revoked before they are used. The gate counts them
 * ({@link io.lockstep.domain.PromotionGate}); the promote they allow uses them up.
 */
public final class ApprovalService {
    private final Store store;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;

    public ApprovalService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock) {
        this.store = store;
        this.environments = environments;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /** What is approved: a release, or one pin's digest (template, digest, region). */
    public record Subject(String release, String template, String digest, String region) {
    }

    /** Live approvals and the requests still waiting, in one environment, at one instant. */
    public record Listing(Instant at, List<Approval> approvals, List<ApprovalRequest> pending) {
    }

    /**
     * {@code approverScopes}: every scope word the caller's token grants, recorded with the approval and
     * checked against {@code from_scopes} (a token that holds none of them is refused: it would never count).
     */
    public Approval approve(String environment, Subject subject, String notes, String approver, List<String> approverScopes) {
        Environment env = environments.require(environment);
        ApprovalPolicy policy = env.approvals();
        if (policy == null) {
            throw new LockstepException(Problem.APPROVALS_NOT_CONFIGURED, "Environment " + env.name()
                    + " has no approvals policy, so an approval there would count for nothing; configure approvals on it"
                    + " (docs/policies.md) or approve in the environment that asks for them.");
        }
        if (!policy.scopeCounts(approverScopes)) {
            throw new LockstepException(Problem.FORBIDDEN, "Token " + approver + " holds none of the scopes "
                    + String.join(", ", policy.fromScopes()) + " that approvals in " + env.name() + " need.");
        }
        String validNotes = Names.optionalNotes(notes);
        boolean release = subject.release() != null;
        if (release && (subject.template() != null || subject.digest() != null || subject.region() != null)) {
            throw new LockstepException(Problem.CONFLICTING_FIELDS, "Approve either a release, or a template and digest"
                    + " (with an optional region), not both.");
        }
        if (!release && (subject.template() == null || subject.digest() == null)) {
            throw new LockstepException(Problem.MISSING_FIELD, "Name what is approved: release, or template and digest.");
        }
        String releaseId = null;
        String group = null;
        String template = null;
        String digest = null;
        String region = null;
        if (release) {
            var registered = store.release(subject.release()).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_RELEASE,
                    "No release " + Names.quoteForError(subject.release()) + " is registered; approve a registered"
                            + " release (see GET /api/v1/releases)."));
            releaseId = registered.id();
            group = registered.group();
        } else {
            Names.require("template", subject.template());
            if (snapshot.get().template(subject.template()) == null) {
                throw new LockstepException(Problem.UNKNOWN_TEMPLATE_REFERENCED, "No template named "
                        + Names.quoteForError(subject.template()) + " is registered; see GET /cp/runtimes for the known templates.");
            }
            template = subject.template();
            group = snapshot.get().template(template).group();
            digest = Digest.require("digest", subject.digest());
            region = Names.regionOrDefault(subject.region());
        }
        Instant now = clock.instant();
        Approval a = new Approval(UUID.randomUUID().toString(), env.name(), releaseId, template, digest, region, approver,
                approverScopes, validNotes, now, now.plus(policy.expireAfter()), null, null, null);
        String subjectGroup = group;
        store.write(tx -> {
            tx.saveApproval(a);
            tx.appendEvent(Events.approvalGiven(a, subjectGroup));
            return null;
        });
        return a;
    }

    public Listing list(String environment) {
        String env = environments.require(environment).name();
        Instant now = clock.instant();
        return new Listing(now, store.liveApprovals(env, now), store.pendingApprovalRequests(env));
    }

    /** The lock-step group of what {@code a} approves: its release's, or its template's (null when it has none). */
    private String groupOf(io.lockstep.store.StoreTx tx, Approval a) {
        if (a.releaseId() != null) {
            return tx.release(a.releaseId()).map(io.lockstep.domain.Release::group).orElse(null);
        }
        var t = snapshot.get().template(a.template());
        return t == null ? null : t.group();
    }

    /** Only the approver or an admin may revoke; a used, revoked or expired approval is a 409 that says which. */
    public Approval revoke(String environment, String id, String by, boolean admin) {
        String env = environments.require(environment).name();
        return store.write(tx -> {
            Instant now = clock.instant();
            Approval a = tx.approval(env, id).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_APPROVAL,
                    "No approval " + Names.quoteForError(id) + " in " + env + "; see GET /api/v1/environments/" + env
                            + "/approvals."));
            if (!admin && !a.approver().equals(by)) {
                throw new LockstepException(Problem.FORBIDDEN, "Approval " + id + " was given by " + a.approver()
                        + "; only that token or an admin may revoke it.");
            }
            String state = a.state(now);
            if (!state.equals("live") || !tx.revokeApproval(env, id, now, by)) {
                throw new LockstepException(Problem.APPROVAL_NOT_REVOCABLE, "Approval " + id + " of " + a.subject()
                        + " is " + state + (a.usedAt() != null ? " (by the change it allowed, at " + a.usedAt() + ")" : "")
                        + "; only a live approval can be revoked.", Map.of("state", state));
            }
            Approval revoked = a.revoked(now, by);
            tx.appendEvent(Events.approvalRevoked(revoked, groupOf(tx, revoked)));
            return revoked;
        });
    }
}
