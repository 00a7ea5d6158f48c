package io.lockstep.cli;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The tripwire counts exactly the connections made before it is asked, without waiting for them. */
class TripwireTest {
    @Test
    void countsEveryConnectionMadeBeforeItIsAsked() throws Exception {
        try (Tripwire wire = new Tripwire()) {
            assertThat(wire.connections()).isZero();
            URI url = URI.create(wire.url());
            for (int i = 0; i < 2; i++) {
                new Socket(url.getHost(), url.getPort()).close();
            }
            assertThat(wire.connections()).isEqualTo(2);
            assertThat(wire.connections()).as("each connection is counted once").isZero();
        }
    }
}
