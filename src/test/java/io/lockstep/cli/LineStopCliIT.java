package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop the line with the real jar: {@code lockstep freeze} stops prod, a {@code lockstep promote} exits 1 naming
 * who stopped it and why and changes nothing, {@code lockstep unfreeze} lifts it and the same promote goes through;
 * an admin's break-glass promote shows in {@code lockstep history}.
 */
class LineStopCliIT {
    @TempDir
    Path dir;

    @Test
    void freezeRefusesAPromoteUntilUnfreeze() throws Exception {
        try (TestServer prod = new TestServer(TestDatabases.sqlite(Files.createDirectories(dir.resolve("prod"))))) {
            String target = "prod=" + prod.url();
            Cli cli = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI);
            String d1 = Unique.digest();
            assertThat(cli.run("promote", "--template", "hermes", "--digest", d1, "--target", target).exit()).isZero();

            Cli.Run freeze = cli.run("freeze", "--reason", "incident 4711", "--for", "2h", "--target", target);
            assertThat(freeze.exit()).as(freeze.all()).isZero();
            assertThat(freeze.all()).contains("prod: stopped prod until ");

            String d2 = Unique.digest();
            Cli.Run refused = cli.run("promote", "--template", "hermes", "--digest", d2, "--target", target,
                    "--retry-budget", "5s");
            assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
            assertThat(refused.all()).contains("LINE_STOPPED").contains("stopped by ci (incident 4711)");
            assertThat(pin(prod)).isEqualTo(d1);

            Cli.Run unfreeze = cli.run("unfreeze", "--reason", "fixed", "--target", target);
            assertThat(unfreeze.exit()).as(unfreeze.all()).isZero();
            assertThat(unfreeze.all()).contains("prod: lifted ");
            Cli.Run nothingLeft = cli.run("unfreeze", "--target", target);
            assertThat(nothingLeft.exit()).as(nothingLeft.all()).isEqualTo(1);
            assertThat(nothingLeft.all()).contains("no active freeze of the whole environment");

            assertThat(cli.run("promote", "--template", "hermes", "--digest", d2, "--target", target).exit()).isZero();
            assertThat(pin(prod)).isEqualTo(d2);

            // break-glass by an admin, seen in lockstep history
            assertThat(cli.run("freeze", "--reason", "incident 4712", "--target", target).exit()).isZero();
            Http.Response override = prod.http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.ADMIN,
                    "{\"image_digest\":\"" + Unique.digest() + "\",\"override\":{\"reason\":\"hotfix 4712\"}}");
            assertThat(override.status()).as(override.body()).isEqualTo(200);
            Cli.Run history = cli.run("history", "--template", "hermes", "--target", target);
            assertThat(history.exit()).as(history.all()).isZero();
            assertThat(history.all()).contains("OVERRIDE by admin (hotfix 4712), overrode LINE_STOPPED");
        }
    }

    private static String pin(TestServer s) {
        return s.http.get("/api/v1/environments/prod/pins/hermes", TestConfig.READER).json().path("image_digest").asText();
    }
}
