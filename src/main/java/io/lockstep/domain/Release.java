package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One build of a lock-step group: the runtime version, the commit, and the digest of every member
 * (or the reason a member was left out). Registering a release moves no pin.
 */
public record Release(String id, String group, String runtimeVersion, String gitSha, Map<String, String> images,
                      Map<String, String> exclude, Instant createdAt, String createdBy) {
    public Release {
        images = images == null ? Map.of() : Map.copyOf(new TreeMap<>(images));
        exclude = exclude == null ? Map.of() : Map.copyOf(new TreeMap<>(exclude));
    }

    /**
     * Identity of a release's content: group, runtime version and images. Registering the same
     * content twice returns the same release (idempotent), a different image set under the same
     * version is a conflict.
     */
    public static String contentId(String group, String runtimeVersion, Map<String, String> images) {
        return HistoryChain.sha256(group + "\n" + runtimeVersion + "\n" + new TreeMap<>(images)).substring(0, 16);
    }

    public boolean contains(String template, String digest) {
        return digest != null && digest.equals(images.get(template));
    }
}
