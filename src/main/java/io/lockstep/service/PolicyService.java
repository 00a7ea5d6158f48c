package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Events;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.PolicyChange;
import io.lockstep.domain.Problem;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Promotion policies changed without a restart (issue 12 item 1): an admin sets an environment's policy
 * through the API, or returns it to the configuration file's. Each change is appended to the store with
 * who and why; the newest change of an environment is its policy. Every replica applies the policies in
 * force to its {@link Environments} at start and whenever the store announces a change from any replica
 * (a policy change announces "everything"), so the gate of every replica sees the same policy once the
 * change is committed and announced; a periodic reload is the safety net for an announcement missed.
 */
public final class PolicyService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PolicyService.class);
    /** Longest {@code reason} kept with a change. */
    public static final int MAX_REASON = 500;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Store store;
    private final Environments environments;
    private final Clock clock;
    private final PolicyParser parser;

    public PolicyService(Store store, Environments environments, Clock clock, PolicyParser parser) {
        this.store = store;
        this.environments = environments;
        this.clock = clock;
        this.parser = parser;
        reload();
        store.onChange(change -> {
            if (change.isEverything()) {
                reloadInBackground();
            }
        });
    }

    /**
     * {@link #reload} for a listener or a scheduler: a failure (the store briefly gone) is logged, never thrown,
     * and the policies in force stay as they were until the next announcement or the periodic reload.
     */
    public void reloadInBackground() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("promotion policies not reloaded, keeping the ones in force: {}", e.getMessage());
        }
    }

    /** What an environment's policy is now and where it comes from. */
    public record Current(Environment environment, Optional<PolicyChange> lastChange) {
        /** {@code api} when set through the admin API, {@code config} when the file's is in force. */
        public String source() {
            return lastChange.isPresent() && !lastChange.get().resetsToConfig() ? "api" : "config";
        }
    }

    public Current current(Environment env) {
        List<PolicyChange> last = store.policyChanges(env.name(), 1);
        return new Current(environments.require(env.name()), last.stream().findFirst());
    }

    public List<PolicyChange> history(Environment env, int limit) {
        return store.policyChanges(env.name(), limit);
    }

    /**
     * Sets {@code env}'s policy to {@code document}, or returns it to the configuration file's when
     * {@code document} is null. An invalid document is a 400 naming the key and changes nothing.
     */
    public Current change(Environment env, String document, String actor, String reason) {
        String why = requireReason(reason);
        if (document != null) {
            try {
                parser.parse(document, environments.configured(env.name()));
            } catch (IllegalArgumentException e) {
                throw new LockstepException(Problem.INVALID_POLICY, e.getMessage() + ".");
            }
        }
        Map<String, Object> policy = asValues(document);
        PolicyChange saved = store.write(tx -> {
            PolicyChange c = tx.appendPolicyChange(new PolicyChange(0, env.name(), document, actor, why, clock.instant()));
            tx.appendEvent(Events.policyChanged(c, policy));
            return c;
        });
        reload();
        return new Current(environments.require(env.name()), Optional.of(saved));
    }

    /** Applies the policies in force in the store; an environment with none (or reset) has the file's. */
    public void reload() {
        Map<String, PromotionPolicy> set = new LinkedHashMap<>();
        for (PolicyChange c : store.policiesInForce()) {
            Environment configured = environments.find(c.environment());
            if (configured == null || c.resetsToConfig() || !configured.name().equals(c.environment())) {
                continue; // an environment this server no longer hosts, or back to the file's
            }
            try {
                set.put(c.environment(), parser.parse(c.document(), environments.configured(c.environment())));
            } catch (IllegalArgumentException e) {
                // Valid when it was set; the file changed under it (an upstream renamed). The file's applies.
                set.remove(c.environment());
            }
        }
        environments.applyPolicies(set);
    }

    /** The document as JSON values for the event (null: back to the file's); it parsed above, so it is JSON. */
    private static Map<String, Object> asValues(String document) {
        if (document == null) {
            return null;
        }
        try {
            return JSON.readValue(document, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LockstepException(Problem.INVALID_POLICY, "policy must be a JSON object.");
        }
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new LockstepException(Problem.MISSING_FIELD, "A policy change needs a reason: say why in \"reason\"; it is"
                    + " kept with the change.");
        }
        String r = reason.strip();
        if (r.length() > MAX_REASON) {
            throw new LockstepException(Problem.INVALID_POLICY, "reason is longer than " + MAX_REASON + " characters.");
        }
        if (r.chars().anyMatch(Character::isISOControl)) {
            throw new LockstepException(Problem.INVALID_POLICY, "reason must not contain control characters.");
        }
        return r;
    }
}
