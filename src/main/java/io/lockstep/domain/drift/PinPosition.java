package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.time.Instant;
import java.util.List;

/**
 * Where one pin stands in its release stream: the release it is on, the newest it could be on,
 * and the releases in between. The raw material every status is decided from.
 *
 * @param pin     null when there is no pin
 * @param current the newest release holding the pinned digest; null when missing or unknown
 * @param newest  the newest release with an image for the template; null when the stream has none
 * @param newer   releases newer than {@code current} with an image for the template, oldest first
 */
record PinPosition(PinKey key, Template template, String group, Pin pin, Release current, Release newest,
                   List<Release> newer) {

    static PinPosition of(PinKey key, Template template, Pin pin, ReleaseStream stream) {
        Release current = pin == null ? null : stream.releaseOf(template.name(), pin.digest());
        List<Release> newer = current == null ? List.of() : stream.newerThan(current, template.name());
        return new PinPosition(key, template, ReleaseStream.groupOf(template), pin, current,
                stream.newestFor(template.name()), newer);
    }

    boolean missing() {
        return pin == null;
    }

    boolean unknown() {
        return pin != null && current == null;
    }

    boolean behind() {
        return !newer.isEmpty();
    }

    Instant behindSince() {
        return newer.isEmpty() ? null : newer.get(0).createdAt();
    }
}
