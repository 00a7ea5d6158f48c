package io.lockstep.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Environment;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.domain.RemoteUpstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A promotion policy set through the admin API ({@code PUT /api/v1/environments/{env}/policy}): the same
 * keys, rules and messages as the environment's entry in the configuration file ({@code requires},
 * {@code freeze_windows}, {@code approvals}), so a policy means the same thing wherever it was written.
 */
public final class PolicySection {
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
        node.allowOnly("requires", "freeze_windows", "approvals");
        Set<String> earlier = new LinkedHashSet<>(order.subList(0, Math.max(0, order.indexOf(env.name()))));
        String localUpstream = env.upstream() != null && earlier.contains(env.upstream()) ? env.upstream() : null;
        return new PromotionPolicy(ConfigLoader.requires(node.get("requires"), localUpstream, remote, earlier, env.name()),
                FreezeWindowsSection.parse(node.get("freeze_windows")), ApprovalsSection.parse(node.get("approvals")));
    }
}
