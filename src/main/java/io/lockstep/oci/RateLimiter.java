package io.lockstep.oci;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token bucket limiting the requests we send to one registry (Docker Hub, ECR and friends throttle
 * per client; a watch loop over many repositories must not trip that). A caller reserves a token
 * under the lock and then sleeps outside it, so concurrent callers queue up fairly without holding
 * the lock while they wait.
 */
public final class RateLimiter {

    private final double permitsPerSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long lastRefill;

    /**
     * @param permitsPerSecond sustained rate; must be positive
     * @param burst            how many requests may go out back to back after an idle period (>= 1)
     */
    public RateLimiter(double permitsPerSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("rate limit must be a positive number of requests per second, got " + permitsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("rate limit burst must be >= 1, got " + burst);
        }
        this.permitsPerSecond = permitsPerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tokens = burst;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** Blocks until a request may be sent. */
    public void acquire() throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Takes one token (possibly going into debt) and returns how long the caller must wait for it. */
    synchronized Duration reserve() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastRefill) / 1e9 * permitsPerSecond);
        lastRefill = now;
        tokens -= 1;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / permitsPerSecond * 1e9));
    }
}
