package io.lockstep.http;

import io.lockstep.auth.Scope;
import io.lockstep.service.ResolveService;

/**
 * The whole of {@code GET /api/v1/resolve} as one function of its inputs, so the Javalin route and
 * the Jetty fast path ({@link FastResolveHandler}) answer identically: authenticate, check the
 * read scope, then the environment, resolve from the snapshot, return the cached body.
 */
final class ResolveEndpoint {
    private final Services s;
    private final Access access;
    private final ResolveResponses responses;

    ResolveEndpoint(Services s, Access access) {
        this.s = s;
        this.access = access;
        this.responses = new ResolveResponses(s.snapshot());
    }

    /** True when the caller's token may need network I/O to check (see {@link Access#mayBlock}). */
    boolean mayBlock(String authorization) {
        return access.mayBlock(authorization);
    }

    /** The 200 body; throws {@code LockstepException} for every other answer. */
    byte[] answer(String authorization, String environment, String template, String kind, String region) {
        String env = access.environment(access.require(authorization, Scope.READ, null), environment);
        ResolveService.Resolution r = s.resolver().resolve(env, template, kind, region);
        return responses.body(r.pin());
    }
}
