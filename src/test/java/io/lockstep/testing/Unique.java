package io.lockstep.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Names no other test uses, so tests sharing one server never see each other's pins. */
public final class Unique {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Unique() {
    }

    /** A valid Lockstep name such as {@code tpl-17}. */
    public static String name(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet();
    }

    /** A digest no other call returns. */
    public static String digest() {
        return TestConfig.digest("unique-" + COUNTER.incrementAndGet() + "-" + System.nanoTime());
    }
}
