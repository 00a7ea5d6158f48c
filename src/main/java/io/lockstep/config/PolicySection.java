package io.lockstep.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Environment;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.StageRequirement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An environment's promotion policy ({@code requires}, {@code freeze_windows}, {@code approvals}), read the same
 * way from its entry in the configuration file and from a document set through the admin API
 * ({@code PUT /api/v1/environments/{env}/policy}), so a policy means the same thing wherever it was written.
 */
public final class PolicySection {
    static final String REQUIRES = "requires";
    static final String FREEZE_WINDOWS = "freeze_windows";
    static final String APPROVALS = "approvals";
    private PolicySection() {
    }

    /**
     * The policy {@code document} (JSON) sets for {@code env}; {@code order} is every environment of this
     * server in configuration order ({@code requires.upstream} must name one listed before {@code env}, or
     * {@code env}'s {@code remote} upstream on another server, null if none).
     *
     * @throws ConfigException naming the key, e.g. {@code policy.freeze_windows[0].zone}
     */
    public static PromotionPolicy parse(String document, Environment env, List<String> order, RemoteUpstream remote) {
        JsonNode tree;
        try {
            tree = Yaml.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ConfigException("policy", "is not a JSON object");
        }
        ConfigNode node = new ConfigNode(tree, "policy");
        node.requireObject();
        node.allowOnly(REQUIRES, FREEZE_WINDOWS, APPROVALS);
        Set<String> earlier = new LinkedHashSet<>(order.subList(0, Math.max(0, order.indexOf(env.name()))));
        String localUpstream = env.upstream() != null && earlier.contains(env.upstream()) ? env.upstream() : null;
        return read(node, localUpstream, remote, earlier, env.name());
    }

    /**
     * The policy keys of {@code node} (an environment's entry, or an API document); {@code earlier}: the
     * environments listed before this one, the only local ones {@code requires.upstream} may name.
     */
    static PromotionPolicy read(ConfigNode node, String localUpstream, RemoteUpstream remote, Set<String> earlier,
                                String name) {
        return new PromotionPolicy(requires(node.get(REQUIRES), localUpstream, remote, earlier, name),
                FreezeWindowsSection.parse(node.get(FREEZE_WINDOWS)), ApprovalsSection.parse(node.get(APPROVALS)));
    }

    /**
     * {@code requires: {upstream, soak, min_converged}}; {@code upstream} defaults to the environment's own
     * upstream. A local one must be an environment of this server listed before this one (the gate reads its
     * pins in the write transaction); the environment's remote upstream is read over HTTP just before.
     * {@code min_converged} (a share, 0 to 1) also asks the upstream's fleet, so only for a local upstream.
     */
    private static StageRequirement requires(ConfigNode c, String localUpstream, RemoteUpstream remote, Set<String> seen,
                                             String name) {
        if (!c.isPresent()) {
            return null;
        }
        c.requireObject();
        c.allowOnly("upstream", "soak", "min_converged");
        String upstream = c.string("upstream", remote != null ? remote.environment() : localUpstream);
        if (remote != null && remote.environment().equals(upstream)) {
            // the upstream on another server: the gate reads its pins over HTTP before the write transaction
            if (c.get("min_converged").isPresent()) {
                throw new ConfigException(c.path() + ".min_converged", "needs the upstream's fleet, which reports to the"
                        + " other server; it is not supported with a remote upstream");
            }
            return new StageRequirement(upstream, c.duration("soak", Duration.ZERO));
        }
        if (upstream == null) {
            throw new ConfigException(c.path() + ".upstream", "must name the environment changes must pass first"
                    + " (a remote upstream on another server is not supported for requires yet)");
        }
        if (upstream.equals(name) || !seen.contains(upstream)) {
            throw new ConfigException(c.path() + ".upstream", "must name a local environment listed before this one"
                    + " (a remote upstream on another server is not supported for requires yet)");
        }
        Double minConverged = null;
        if (c.get("min_converged").isPresent()) {
            minConverged = c.decimal("min_converged", 1, 0, 1);
            if (minConverged == 0) {
                throw new ConfigException(c.path() + ".min_converged", "must be above 0 (leave it out to not ask the fleet)");
            }
        }
        return new StageRequirement(upstream, c.duration("soak", Duration.ZERO), minConverged);
    }

}
