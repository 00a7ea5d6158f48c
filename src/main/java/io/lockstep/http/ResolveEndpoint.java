package io.lockstep.http;

import io.lockstep.auth.Scope;
import io.lockstep.service.ResolveService;
import io.lockstep.service.SnapshotHolder;

/**
 * The whole of {@code GET /api/v1/resolve} as one function of its inputs, so the Javalin route and
 * the Jetty fast path ({@link FastResolveHandler}) answer identically: authenticate, check the
 * read scope, then the environment, resolve from the snapshot, return the cached body.
 */
public final class ResolveEndpoint {
    private final ResolveService resolver;
    private final Access access;
    private final ResolveResponses responses;

    public ResolveEndpoint(ResolveService resolver, SnapshotHolder snapshot, Access access) {
        this.resolver = resolver;
        this.access = access;
        this.responses = new ResolveResponses(snapshot);
    }

    /** True when the caller's token may need network I/O to check (see {@link Access#mayBlock}). */
    boolean mayBlock(String authorization) {
        return access.mayBlock(authorization);
    }

    /** The 200 body; throws {@code LockstepException} for every other answer. */
    byte[] answer(String authorization, String environment, String template, String kind, String region) {
        String env = access.environment(access.require(authorization, Scope.READ, null), environment);
        ResolveService.Resolution r = resolver.resolve(env, template, kind, region);
        return responses.body(r.pin());
    }
}
