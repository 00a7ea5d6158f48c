package io.lockstep.http;

import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.service.ResolveService;

/**
 * The whole of {@code GET /api/v1/resolve} as one function of its inputs, so the Javalin route and
 * the Jetty fast path ({@link FastResolveHandler}) answer identically: authenticate, check the
 * read scope for the environment, resolve from the snapshot, return the cached body.
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

    /** The 200 body; throws {@code LockstepException} for every other answer. */
    byte[] answer(String authorization, String environment, String template, String kind, String region) {
        Environment hosted = s.environments().find(environment);
        if (hosted == null) {
            hosted = s.environments().require(environment); // throws: 400 for a malformed name, else 404
        }
        String env = hosted.name();
        access.require(authorization, Scope.READ, env);
        ResolveService.Resolution r = s.resolver().resolve(env, template, kind, region);
        return responses.body(r.pin());
    }
}
