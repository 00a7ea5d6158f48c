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
}
