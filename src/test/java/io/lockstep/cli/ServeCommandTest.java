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

    private static Run serve(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = LockstepCommand.commandLine().execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
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
