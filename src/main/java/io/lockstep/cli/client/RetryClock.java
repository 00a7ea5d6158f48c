package io.lockstep.cli.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the retry loop sees it. The CLI uses the system's; tests substitute one that records each
 * wait instead of sleeping, so they can assert that the CLI waited what the server asked.
 */
public interface RetryClock {
    Instant now();

    void sleep(Duration d) throws InterruptedException;

    RetryClock SYSTEM = new RetryClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    };
}
