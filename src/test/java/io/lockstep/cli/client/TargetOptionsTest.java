package io.lockstep.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetOptionsTest {
    @TempDir
    Path dir;

    private static TargetOptions parse(String... args) {
        TargetOptions o = new TargetOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void targetsTakeTokensFromNamedVariablesAndEnvironmentFromTheirName() {
        TargetOptions.Resolution r = parse("--target", "prod=https://cp.example.com", "--target", "staging=http://127.0.0.1:8080/",
                "--token-env", "prod=PROD_T", "--environment", "staging=stage").resolve(Map.of("PROD_T", "p", "LOCKSTEP_TOKEN", "s"));

        assertThat(r.problems()).isEmpty();
        assertThat(r.targets()).extracting(Target::name, Target::environment, Target::tokenVariable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prod", "prod", "PROD_T"),
                        org.assertj.core.groups.Tuple.tuple("staging", "stage", "LOCKSTEP_TOKEN"));
        assertThat(r.targets().get(0).toString()).doesNotContain("p\"").contains("cp.example.com");
        assertThat(r.targets().get(0).token().toString()).isEqualTo("<redacted>");
    }

    @Test
    void everyProblemIsOneLineAndNoValueThatMayBeATokenIsEchoed() {
        TargetOptions.Resolution r = parse("--target", "prod=ftp://x", "--target", "staging=http://h",
                "--token-env", "staging=lsk_live_abc-123.xyz", "--token-env", "ghost=G")
                .resolve(Map.of("LOCKSTEP_TOKEN", " "));

        assertThat(r.problems()).hasSize(5);
        assertThat(String.join("\n", r.problems())).doesNotContain("lsk_live_abc-123.xyz")
                .contains("prod: URL must be http(s)").contains("--token-env staging must name an environment variable")
                .contains("names a target that no --target or targets file defines").doesNotContain("ghost")
                .contains("LOCKSTEP_TOKEN is empty");
    }

    @Test
    void noTargetIsAProblem() {
        assertThat(parse().resolve(Map.of()).problems()).containsExactly("no target: give --target NAME=URL (repeatable) or --targets FILE.");
    }

    @Test
    void targetsFileIsStrict() throws Exception {
        Path f = Files.writeString(dir.resolve("t.yaml"), "- {name: prod, url: http://h, token_env: P, environment: production}\n"
                + "- {name: x, url: http://h, tokn_env: P}\n");
        TargetOptions.Resolution r = parse("--targets", f.toString()).resolve(Map.of("P", "t", "LOCKSTEP_TOKEN", "t"));
        assertThat(r.problems()).singleElement().asString().contains("unknown key \"tokn_env\"");
        assertThat(r.targets().get(0).environment()).isEqualTo("production");
    }
}
