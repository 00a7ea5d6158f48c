package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.oci.SourceNetwork;
import io.lockstep.wire.hooks.PushPayloads;
import io.lockstep.wire.hooks.RegistryPush;
import io.lockstep.domain.Watch;
import io.lockstep.service.registry.Watcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry webhooks: {@code POST /api/v1/hooks/registry} takes the CNCF distribution notification
 * envelope ({@code {"events":[{"action":"push","target":{"repository","tag","digest"}}]}}), and one path
 * per provider takes that provider's own push notification: {@code /harbor}, {@code /dockerhub},
 * {@code /github} ({@code registry_package}), {@code /quay}, {@code /gitlab} (a GitLab container
 * registry's notifications, which are the CNCF envelope). Each is parsed by a pure function of
 * {@link PushPayloads} into {@link RegistryPush}es; each push of a tag a watch cares about triggers
 * that watch's discovery at once instead of at the next poll. The payload is only a hint: discovery
 * reads the tag's digest from the registry itself.
 *
 * <p>Each path checks its sender the way that provider can prove itself, secrets compared in constant
 * time: the CNCF registry sends {@code Authorization: Bearer <secret>} from its endpoint headers;
 * Harbor sends its "Auth Header" value as {@code Authorization}; GitHub signs the body
 * ({@code X-Hub-Signature-256: sha256=<HMAC-SHA256>}); GitLab's registry sends
 * {@code X-Gitlab-Token} from its endpoint headers; Docker Hub and Quay can do neither, so they are
 * accepted only from the networks in {@code allow_from} (the TCP peer, never a forwarded-for header).
 *
 * <p>Answers {@code 202} as soon as discovery is queued (also for events that are not pushes, which
 * are ignored): providers retry endpoints that are slow or fail, and a retried event only queues
 * discovery again, which is idempotent.
 */
public final class RegistryHookRoutes {
    public static final String PATH = "/api/v1/hooks/registry";
    public static final String HARBOR = "/api/v1/hooks/harbor";
    public static final String DOCKERHUB = "/api/v1/hooks/dockerhub";
    public static final String GITHUB = "/api/v1/hooks/github";
    public static final String QUAY = "/api/v1/hooks/quay";
    public static final String GITLAB = "/api/v1/hooks/gitlab";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<RegistriesConfig.HookSecret> secret;
    private final Map<String, RegistriesConfig.ProviderHook> providers;
    private final Watcher watcher;
    private final AtomicLong pushEvents = new AtomicLong();
    private final AtomicLong tagPushes = new AtomicLong();

    public RegistryHookRoutes(Optional<RegistriesConfig.HookSecret> secret, Watcher watcher) {
        this(secret, Map.of(), watcher);
    }

    public RegistryHookRoutes(RegistriesConfig config, Watcher watcher) {
        this(config.hookSecret(), config.providerHooks(), watcher);
    }

    private RegistryHookRoutes(Optional<RegistriesConfig.HookSecret> secret,
                               Map<String, RegistriesConfig.ProviderHook> providers, Watcher watcher) {
        this.secret = secret;
        this.providers = providers;
        this.watcher = watcher;
    }

    public void register(RoutesConfig r) {
        r.post(PATH, this::receive);
        r.post(HARBOR, ctx -> {
            String presented = ctx.header("Authorization");
            // Harbor sends the "Auth Header" field verbatim: the secret alone or "Bearer <secret>".
            requireSecret(ctx, "harbor", bearer(presented) != null ? bearer(presented) : presented,
                    "Harbor webhooks need the secret in the webhook's Auth Header field.");
            trigger(ctx, PushPayloads.harbor(json(ctx)));
        });
        r.post(GITLAB, ctx -> {
            requireSecret(ctx, "gitlab", ctx.header("X-Gitlab-Token"),
                    "GitLab registry notifications need the secret as an X-Gitlab-Token endpoint header.");
            trigger(ctx, PushPayloads.cncf(json(ctx)));
        });
        r.post(GITHUB, ctx -> {
            RegistriesConfig.HookSecret s = configured("github").secret().orElseThrow();
            String presented = ctx.header("X-Hub-Signature-256");
            byte[] expected = ("sha256=" + s.hmacSha256Hex(ctx.bodyAsBytes())).getBytes(StandardCharsets.UTF_8);
            if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new LockstepException(Problem.UNAUTHENTICATED, "GitHub webhooks must be signed with the"
                        + " configured secret (X-Hub-Signature-256); set the same secret on the GitHub webhook.");
            }
            trigger(ctx, PushPayloads.github(ctx.header("X-GitHub-Event"), json(ctx)));
        });
        r.post(DOCKERHUB, ctx -> {
            requireSource(ctx, "dockerhub");
            trigger(ctx, PushPayloads.dockerHub(json(ctx)));
        });
        r.post(QUAY, ctx -> {
            requireSource(ctx, "quay");
            trigger(ctx, PushPayloads.quay(json(ctx)));
        });
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
        if (!secret.get().matches(bearer(ctx.header("Authorization")))) {
            throw new LockstepException(Problem.UNAUTHENTICATED, "Registry webhooks need the shared"
                    + " secret: send Authorization: Bearer <secret> (set it in the registry's notifications endpoint headers).");
        }
        trigger(ctx, PushPayloads.cncf(json(ctx)));
    }

    private RegistriesConfig.ProviderHook configured(String provider) {
        RegistriesConfig.ProviderHook hook = providers.get(provider);
        if (hook == null) {
            throw new LockstepException(Problem.HOOK_NOT_CONFIGURED, "The " + provider + " webhook is not enabled on"
                    + " this server; set hooks." + provider + " in its config.");
        }
        return hook;
    }

    private void requireSecret(Context ctx, String provider, String presented, String hint) {
        if (!configured(provider).secret().orElseThrow().matches(presented)) {
            throw new LockstepException(Problem.UNAUTHENTICATED, hint);
        }
    }

    private void requireSource(Context ctx, String provider) {
        List<SourceNetwork> allowed = configured(provider).allowFrom();
        InetAddress peer;
        try {
            String a = ctx.req().getRemoteAddr();
            peer = InetAddress.getByName(a.startsWith("[") ? a.substring(1, a.length() - 1) : a); // a literal, no lookup
        } catch (UnknownHostException e) {
            peer = null;
        }
        InetAddress from = peer;
        if (from == null || allowed.stream().noneMatch(n -> n.contains(from))) {
            throw new LockstepException(Problem.UNAUTHENTICATED, "This address may not send " + provider
                    + " webhooks (hooks." + provider + ".allow_from).");
        }
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    private static JsonNode json(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.bodyAsBytes());
            if (body == null || body.isMissingNode()) {
                throw new IOException("empty");
            }
            return body;
        } catch (IOException e) {
            throw new LockstepException(Problem.INVALID_NOTIFICATION, "The body is not JSON; expected the registry's"
                    + " push notification.");
        }
    }

    private void trigger(Context ctx, List<RegistryPush> pushes) {
        int tags = 0;
        Set<String> triggered = new LinkedHashSet<>();
        for (RegistryPush push : pushes) {
            if (push.tag() == null) {
                continue; // a blob or a by-digest manifest: the tag that makes it visible comes in its own event
            }
            tags++;
            for (Watch w : watcher.affectedBy(push.repository(), push.tag())) {
                if (triggered.add(w.name())) {
                    watcher.trigger(w);
                }
            }
        }
        pushEvents.addAndGet(pushes.size());
        tagPushes.addAndGet(tags);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("push_events", pushes.size());
        out.put("triggered", List.copyOf(triggered));
        Respond.json(ctx, 202, out);
    }
}
