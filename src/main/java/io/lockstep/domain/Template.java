package io.lockstep.domain;

import java.util.List;

/**
 * A named image family, e.g. {@code platform-agent}. {@code group} is the lock-step group it is
 * promoted with (null when it moves alone); {@code kinds} are the workload kinds that resolve to it.
 */
public record Template(String name, String repository, List<String> kinds, String group, boolean pinnable) {
    public Template {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
    }

    public String imageRef(String digest) {
        return repository + "@" + digest;
    }

    public boolean inGroup(String groupName) {
        return group != null && group.equals(groupName);
    }
}
