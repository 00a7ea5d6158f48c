package io.lockstep.domain;

import java.time.Instant;

/**
 * A change that waits for approval: a promote refused with {@code APPROVAL_REQUIRED} records who
 * asked for what and when, so {@code GET …/approvals} shows approvers what to look at. It stays pending
 * until a promote of the same release or digest in the environment goes through.
 */
public record ApprovalRequest(String id, String environment, String releaseId, String template, String digest,
                              String region, String requestedBy, Instant requestedAt) {
    public String subject() {
        return Approval.subjectOf(releaseId, template, digest, region);
    }
}
