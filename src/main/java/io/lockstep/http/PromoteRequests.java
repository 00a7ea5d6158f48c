package io.lockstep.http;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Provenance;
import io.lockstep.domain.Environment;
import io.lockstep.service.PromotionRequest;

import java.util.function.Supplier;

/** Turns a promote body (seed or native form) into a command; both accept the same fields. */
final class PromoteRequests {
    private PromoteRequests() {
    }

    /** {@code environment} is resolved after the body's own checks, in the order callers have always seen. */
    static PromotionRequest request(JsonBody body, Supplier<Environment> environment, String template) {
        SeedCompatRoutes.rejectConflictingAlias(body);
        String digest = body.string("image_digest") != null ? body.string("image_digest") : body.string("digest");
        if (digest == null) {
            throw new LockstepException(Problem.MISSING_FIELD, "image_digest is required (digest is accepted as an alias).");
        }
        var provenance = body.has("provenance") ? Provenance.validate(body.stringMap("provenance")) : null;
        return new PromotionRequest(environment.get(), template, body.string("region"), digest, body.string("git_sha"),
                body.string("runtime_version"), body.string("notes"), body.string("expected_digest"), provenance);
    }

    /**
     * Break-glass: the reason of the body's {@code override: {reason}}, or null without one. Only an admin token may
     * send it (403 before anything is read or written); a reason is required, since the history keeps it as the
     * only account of why the gates were passed by.
     */
    static String override(JsonBody body, io.lockstep.auth.ApiToken caller) {
        if (body == null || !body.has("override")) {
            return null;
        }
        if (!caller.allows(io.lockstep.auth.Scope.ADMIN)) {
            throw new LockstepException(Problem.FORBIDDEN, "Only a token with scope admin may override the promotion"
                    + " gates (override); " + caller.name() + " may not. Ask an admin, or clear what refuses the change.");
        }
        com.fasterxml.jackson.databind.JsonNode o = body.raw().get("override");
        if (!o.isObject()) {
            throw new LockstepException(Problem.WRONG_TYPE, "override must be an object: {\"reason\": \"…\"}.");
        }
        for (java.util.Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("reason")) {
                throw new LockstepException(Problem.UNKNOWN_FIELD, "Unknown field override." + io.lockstep.domain.Names
                        .quoteForError(f) + "; override takes only reason.");
            }
        }
        com.fasterxml.jackson.databind.JsonNode reason = o.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw new LockstepException(Problem.WRONG_TYPE, "override.reason must be a string.");
        }
        if (reason == null || reason.isNull() || reason.textValue().isBlank()) {
            throw new LockstepException(Problem.MISSING_FIELD, "override.reason is required: say why this change may"
                    + " pass the policy gates; the history keeps it.");
        }
        return io.lockstep.domain.Names.optionalNotes(reason.textValue().strip());
    }
}
