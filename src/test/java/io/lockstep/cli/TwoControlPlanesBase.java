package io.lockstep.cli;

import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the CLI end-to-end tests: fresh {@link TwoControlPlanes} per test, and the CI token for both. */
abstract class TwoControlPlanesBase {
    @TempDir
    Path dir;
    TwoControlPlanes cps;

    @BeforeEach
    void startControlPlanes() throws Exception {
        cps = new TwoControlPlanes(dir);
    }

    @AfterEach
    void stopControlPlanes() {
        cps.close();
    }

    Cli cli() {
        return new Cli().env("STAGING_TOKEN", TestConfig.CI).env("PROD_TOKEN", TestConfig.CI);
    }

    /** The short digest form of the CLI's rows: {@code sha256:} + 12 hex + {@code …}. */
    static String brief(String digest) {
        return digest.substring(0, 19) + "…";
    }
}
