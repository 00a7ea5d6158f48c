package io.lockstep.http;

import io.lockstep.auth.Scope;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.OnImageGone;
import io.lockstep.domain.Problem;
import io.lockstep.service.ImageStatuses;
import io.lockstep.service.ResolveService;
import io.lockstep.service.SnapshotHolder;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * The whole of {@code GET /api/v1/resolve} as one function of its inputs, so the Javalin route and
 * the Jetty fast path ({@link FastResolveHandler}) answer identically: authenticate, check the
 * read scope, then the environment, resolve from the snapshot, return the cached body. A pin whose
 * image the audit found gone is refused ({@code on_image_gone: refuse}) or answered and counted
 * ({@code warn}; the adapters add the {@code Lockstep-Image-Status: gone} header).
 */
public final class ResolveEndpoint {
    private final ResolveService resolver;
    private final Access access;
    private final ResolveResponses responses;

    /** The header a {@code warn} environment adds to a resolve that hands out a gone image. */
    static final String IMAGE_STATUS_HEADER = "Lockstep-Image-Status";

    public ResolveEndpoint(ResolveService resolver, SnapshotHolder snapshot, Access access, ImageStatuses statuses,
                           MeterRegistry meters) {
        this.resolver = resolver;
        this.access = access;
        this.responses = new ResolveResponses(snapshot, statuses, meters);
    }

    /** True when the caller's token may need network I/O to check (see {@link Access#mayBlock}). */
    boolean mayBlock(String authorization) {
        return access.mayBlock(authorization);
    }

    /** The 200 body (and whether its image is gone); throws {@code LockstepException} for every other answer. */
    ResolveResponses.Body answer(String authorization, String environment, String template, String kind, String region) {
        String env = access.environment(access.require(authorization, Scope.READ, null), environment);
        ResolveService.Resolution r = resolver.resolve(env, template, kind, region);
        ResolveResponses.Body body = responses.body(r.pin());
        if (body.gone()) {
            if (r.environment().onImageGone() == OnImageGone.REFUSE) {
                throw new LockstepException(Problem.IMAGE_GONE, "Environment " + r.environment().name() + " refuses to"
                        + " resolve template " + r.pin().key().template() + ": the registry no longer has its pinned image "
                        + r.pin().imageRef() + " (found gone by the pinned-image audit; on_image_gone: refuse)."
                        + " Promote an image that exists.", Map.of("environment", r.environment().name(),
                        "template_name", r.pin().key().template(), "image_ref", r.pin().imageRef()));
            }
            body.goneAnswers().increment();
        }
        return body;
    }
}
