package io.lockstep.oci;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The client's view of time and chance, injectable so retry, rate-limit and token-expiry behaviour
 * can be tested deterministically instead of by sleeping.
 *
 * @param nanoTime monotonic clock for the rate limiter
 * @param clock    wall clock for token expiry and {@code Retry-After} dates
 * @param sleeper  how waits happen
 * @param jitter   values in [0, 1) for backoff jitter
 */
public record RegistryTiming(LongSupplier nanoTime, Clock clock, Sleeper sleeper, DoubleSupplier jitter) {

    public static RegistryTiming system() {
        return new RegistryTiming(System::nanoTime, Clock.systemUTC(), Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }
}
