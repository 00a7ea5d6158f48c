package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.domain.Watch;
import io.lockstep.service.registry.Watcher;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /api/v1/hooks/registry}: the CNCF distribution notification envelope
 * ({@code {"events":[{"action":"push","target":{"repository","tag","digest"}}]}}, media type
 * {@code application/vnd.docker.distribution.events.v1+json}). Each push of a tag a watch cares about
 * triggers that watch's discovery at once instead of at the next poll. Authenticated by the shared
 * secret from {@code hooks.registry.secret_env}, sent as {@code Authorization: Bearer <secret>} (the
 * registry's {@code notifications.endpoints[].headers} carries it), compared in constant time.
 *
 * <p>Answers {@code 202} as soon as discovery is queued: the registry retries endpoints that are slow
 * or fail, and a retried event only queues discovery again, which is idempotent.
 */
public final class RegistryHookRoutes {
    public static final String PATH = "/api/v1/hooks/registry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<RegistriesConfig.HookSecret> secret;
    private final Watcher watcher;
    private final AtomicLong pushEvents = new AtomicLong();
    private final AtomicLong tagPushes = new AtomicLong();

    public RegistryHookRoutes(Optional<RegistriesConfig.HookSecret> secret, Watcher watcher) {
        this.secret = secret;
        this.watcher = watcher;
    }

    public void register(RoutesConfig r) {
        r.post(PATH, this::receive);
    }

    /** Push events received so far. */
    public long pushEvents() {
        return pushEvents.get();
    }

    /**
     * Pushes of a tag received so far; counted after the discoveries they trigger are queued, so
     * "count reached and watcher idle" means those discoveries have finished (tests wait on it).
     */
    public long tagPushes() {
        return tagPushes.get();
    }

    private void receive(Context ctx) {
        if (secret.isEmpty()) {
            throw new LockstepException(Problem.HOOK_NOT_CONFIGURED, "Registry webhooks are not enabled on this"
                    + " server; set hooks.registry.secret_env in its config.");
        }
        String auth = ctx.header("Authorization");
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (!secret.get().matches(presented)) {
            throw new LockstepException(Problem.UNAUTHENTICATED, "Registry webhooks need the shared"
                    + " secret: send Authorization: Bearer <secret> (set it in the registry's notifications endpoint headers).");
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new LockstepException(Problem.INVALID_NOTIFICATION, "The body is not JSON; expected a distribution"
                    + " notification envelope {\"events\":[…]}.");
        }
        if (body == null || !body.path("events").isArray()) {
            throw new LockstepException(Problem.INVALID_NOTIFICATION, "Expected a distribution notification envelope with an"
                    + " events list.");
        }
        int pushes = 0;
        int tags = 0;
        Set<String> triggered = new LinkedHashSet<>();
        for (JsonNode event : body.path("events")) {
            JsonNode target = event.path("target");
            if (!"push".equals(event.path("action").asText()) || !target.path("repository").isTextual()) {
                continue;
            }
            pushes++;
            String tag = target.path("tag").isTextual() ? target.path("tag").asText() : null;
            if (tag == null) {
                continue; // a blob or a by-digest manifest: the tag that makes it visible comes in its own event
            }
            tags++;
            for (Watch w : watcher.affectedBy(target.path("repository").asText(), tag)) {
                if (triggered.add(w.name())) {
                    watcher.trigger(w);
                }
            }
        }
        pushEvents.addAndGet(pushes);
        tagPushes.addAndGet(tags);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("push_events", pushes);
        out.put("triggered", List.copyOf(triggered));
        Respond.json(ctx, 202, out);
    }
}
