package io.lockstep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lockstep serve} with an invalid config exits 2 with one line naming the key, and starts nothing. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {
    }

    /** stdout and stderr together (logs go to stderr, through logback's console appender). */
    private static Run serve(String... args) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(both);
        System.setOut(both);
        try {
            int exit = LockstepCommand.commandLine().execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
    }

    /** Issue 9 item 21: a password in the database URL never reaches stdout, stderr or the logs. */
    @Test
    void aDatabasePasswordInTheUrlIsInNoStartUpError() throws Exception {
        String secret = "Hunter2xSecretPw";
        String[] urls = {
                "jdbc:postgresql://lockstep:" + secret + "@127.0.0.1:1/lockstep",
                "jdbc:postgresql://127.0.0.1:1/lockstep?user=lockstep&password=" + secret,
                "jdbc:postgresql://127.0.0.1:1/lockstep?password=" + secret + "&ssl=false",
                "jdbc:postgresql://127.0.0.1:5432/lockstep?user=lockstep&password=" + secret, // reachable, wrong password
                "jdbc:postgresql://lockstep:" + secret + "@no-such-host.invalid/lockstep"};
        for (String url : urls) {
            Path config = dir.resolve("db.yaml");
            Files.writeString(config, "server: {port: 0, host: 127.0.0.1}\ndatabase: {url: '" + url + "'}\n"
                    + "environments: [{name: prod}]\ntemplates: [{name: a, repository: ghcr.io/a/a, kinds: [k]}]\n");
            Run run = serve("serve", "--config", config.toString());
            assertThat(run.exit()).as(run.err()).isNotZero();
            assertThat(run.err()).as(url).contains("lockstep: ").doesNotContain(secret).doesNotContain("\tat ");
        }
    }

    @Test
    void anUnknownKeyExits2WithOneLine() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "server: {port: 0, host: 127.0.0.1}\ndatabase: {url: 'jdbc:sqlite:" + dir.resolve("x.db")
                + "'}\nenvironments: [{name: prod}]\ntemplates: [{name: a, repository: ghcr.io/a/a, kinds: [k], grup: g}]\n");
        Run run = serve("serve", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("lockstep: config error: templates[0].grup: unknown key");
        assertThat(dir.resolve("x.db")).doesNotExist();
    }

    @Test
    void aMissingConfigFileExits2() {
        Run run = serve("serve", "--config", dir.resolve("missing.yaml").toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("missing.yaml");
    }

    @Test
    void anUnknownFlagExits2() {
        Run run = serve("serve", "--confg", "x.yaml");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--confg").doesNotContain("\tat ");
    }
}
