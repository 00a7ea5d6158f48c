package io.lockstep.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One build of a lock-step group: the runtime version, the commit, and the digest of every member
 * (or the reason a member was left out). Registering a release moves no pin. {@code registrants}
 * says for which environments the registering tokens vouched for these digests; null (as for
 * releases registered before registrants were recorded) means {@code createdBy}, for every environment.
 */
public record Release(String id, String group, String runtimeVersion, String gitSha, Map<String, String> images,
                      Map<String, String> exclude, Instant createdAt, String createdBy, Registrants registrants) {
    public Release {
        images = images == null ? Map.of() : Map.copyOf(new TreeMap<>(images));
        exclude = exclude == null ? Map.of() : Map.copyOf(new TreeMap<>(exclude));
        registrants = registrants == null ? Registrants.of(createdBy, null) : registrants;
    }

    public Release(String id, String group, String runtimeVersion, String gitSha, Map<String, String> images,
                   Map<String, String> exclude, Instant createdAt, String createdBy) {
        this(id, group, runtimeVersion, gitSha, images, exclude, createdAt, createdBy, null);
    }

    public Release withRegistrants(Registrants r) {
        return new Release(id, group, runtimeVersion, gitSha, images, exclude, createdAt, createdBy, r);
    }

    /**
     * The rule for promoting a release: only into an environment its registrants may write. A token
     * limited to staging vouches for its digests in staging only, so promoting what it registered
     * into prod is refused, whoever promotes, until a token allowed on prod registers the same content.
     */
    public void requireVouchedFor(String environment) {
        if (!registrants.vouchFor(environment)) {
            throw notVouchedFor(environment).exception();
        }
    }

    /** Why this release may not move into {@code environment} (asked only when its registrants do not vouch for it). */
    public Refusal notVouchedFor(String environment) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("release_id", id);
        details.put("registered_by", registrants.tokens());
        details.put("registrant_environments", registrants.environments());
        return new Refusal(Problem.RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT, "Release " + id
                + " was registered by " + (registrants.tokens().size() == 1 ? "token " : "tokens ")
                + String.join(", ", registrants.tokens()) + ", which may write only "
                + String.join(", ", registrants.environments()) + ", so its digests are not vouched for "
                + environment + ". Register the same release (same images) with a token allowed on " + environment
                + ", then promote it again.", details);
    }

    public boolean contains(String template, String digest) {
        return digest != null && digest.equals(images.get(template));
    }
}
