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
 * an admin's break-glass {@code lockstep promote --override REASON} (refused to a
 * non-admin token, and without a reason before anything is sent) shows in {@code lockstep history}.
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
            String d3 = Unique.digest();
            Cli.Run notAdmin = cli.run("promote", "--template", "hermes", "--digest", d3, "--target", target,
                    "--override", "hotfix 4712");
            assertThat(notAdmin.exit()).as(notAdmin.all()).isEqualTo(1);
            assertThat(notAdmin.all()).contains("FORBIDDEN").contains("Only a token with scope admin may override");
            Cli.Run blank = cli.run("promote", "--template", "hermes", "--digest", d3, "--target", target,
                    "--override", " ");
            assertThat(blank.exit()).as(blank.all()).isEqualTo(2);
            assertThat(blank.all()).contains("--override needs a reason");
            assertThat(pin(prod)).isEqualTo(d2);
            Cli.Run override = new Cli().env("LOCKSTEP_TOKEN", TestConfig.ADMIN).run("promote", "--template", "hermes",
                    "--digest", d3, "--target", target, "--override", "hotfix 4712");
            assertThat(override.exit()).as(override.all()).isZero();
            assertThat(pin(prod)).isEqualTo(d3);
            Cli.Run history = cli.run("history", "--template", "hermes", "--target", target);
            assertThat(history.exit()).as(history.all()).isZero();
            assertThat(history.all()).contains("OVERRIDE by admin (hotfix 4712), overrode LINE_STOPPED");
        }
    }

    private static String pin(TestServer s) {
        return s.http.get("/api/v1/environments/prod/pins/hermes", TestConfig.READER).json().path("image_digest").asText();
    }
}
