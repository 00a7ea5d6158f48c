package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;

import java.util.List;

/**
 * The pins read from one target (a server URL or a name the CLI gives it), for comparing
 * targets with each other.
 */
public record PinSource(String target, List<Pin> pins) {
    public PinSource {
        pins = List.copyOf(pins);
    }
}
