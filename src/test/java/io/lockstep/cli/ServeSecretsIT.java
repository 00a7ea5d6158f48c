package io.lockstep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 item 21, as production runs it: {@code lockstep serve} (the packaged jar) with the
 * database URL and password in the environment, against databases it cannot use. The password is
 * nowhere in its stdout or stderr (where its logs go).
 */
class ServeSecretsIT {
    private static final String SECRET = "Pw9SecretInTheUrl";

    @TempDir
    Path dir;

    private Cli.Run serve(String url) {
        return new Cli().env("LOCKSTEP_DATABASE_URL", url).env("LOCKSTEP_PORT", "0")
                .env("LOCKSTEP_DATA_DIR", dir.toString()).run("serve");
    }

    @Test
    void noStartUpErrorShowsTheDatabasePassword() {
        for (String url : new String[]{
                "jdbc:postgresql://lockstep:" + SECRET + "@127.0.0.1:1/lockstep",
                "jdbc:postgresql://127.0.0.1:1/lockstep?user=lockstep&password=" + SECRET,
                "jdbc:postgresql://127.0.0.1:5432/lockstep?user=lockstep&password=" + SECRET,
                "jdbc:postgresql://lockstep:" + SECRET + "@no-such-host.invalid/lockstep"}) {
            Cli.Run run = serve(url);
            assertThat(run.exit()).as(run.all()).isNotZero();
            assertThat(run.all()).as(url).contains("lockstep: ").doesNotContain(SECRET).doesNotContain("\tat ");
        }
        Cli.Run withVariable = new Cli().env("LOCKSTEP_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/lockstep")
                .env("LOCKSTEP_DATABASE_USER", "lockstep").env("LOCKSTEP_DATABASE_PASSWORD", SECRET)
                .env("LOCKSTEP_PORT", "0").run("serve");
        assertThat(withVariable.exit()).as(withVariable.all()).isNotZero();
        assertThat(withVariable.all()).doesNotContain(SECRET);
    }
}
