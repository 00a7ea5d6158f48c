package io.lockstep.domain;

import java.util.List;

/**
 * What an observation changed: states to store, keys whose state to forget, and the events to tell.
 * Empty when nothing changed, so the caller writes nothing (a write wakes every replica).
 */
public record Transitions<S>(List<S> save, List<PinKey> forget, List<Event> events) {
    public Transitions {
        save = List.copyOf(save);
        forget = List.copyOf(forget);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return save.isEmpty() && forget.isEmpty();
    }
}
