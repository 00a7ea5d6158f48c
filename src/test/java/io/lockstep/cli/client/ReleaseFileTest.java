package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseFileTest {
    static final String D = "sha256:" + "a".repeat(64);
    @TempDir
    Path dir;

    @Test
    void reportsEveryProblemAtOnce() throws Exception {
        Path f = Files.writeString(dir.resolve("r.yaml"), """
                group: runtime
                runtime_version: "v0.3.43"
                git_sha: XYZ
                images: {claude-code: "", hermes: sha256:ABC, codex: %s}
                exclude: {codex: "", openclaw: reason}
                extra: 1
                """.formatted(D));
        List<String> problems = new ArrayList<>();
        assertThat(ReleaseFile.read(f, problems)).isNull();
        assertThat(problems).hasSize(6);
        assertThat(String.join("\n", problems)).contains("unknown key \"extra\"").contains("git_sha")
                .contains("images.claude-code is empty").contains("images.hermes must be sha256:")
                .contains("exclude.codex needs a reason").contains("codex is both in images and in exclude");
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("r.yaml"), "group: runtime\ngroup: other\nruntime_version: v1\nimages: {a: " + D + "}\n");
        List<String> problems = new ArrayList<>();
        assertThat(ReleaseFile.read(f, problems)).isNull();
        assertThat(problems).singleElement().asString().contains("Duplicate field 'group'");
    }

    @Test
    void completenessUsesTheServersGroupMembership() throws Exception {
        Path f = Files.writeString(dir.resolve("r.json"), "{\"group\":\"runtime\",\"runtime_version\":\"v1\",\"images\":{\"a\":\"" + D
                + "\",\"stranger\":\"" + D + "\"},\"exclude\":{\"c\":\"broken\"}}");
        ReleaseFile r = ReleaseFile.read(f, new ArrayList<>());
        var runtimes = new ObjectMapper().readTree("{\"runtimes\":[{\"name\":\"a\",\"group\":\"runtime\",\"pinnable\":true},"
                + "{\"name\":\"b\",\"group\":\"runtime\",\"pinnable\":true},{\"name\":\"c\",\"group\":\"runtime\",\"pinnable\":true},"
                + "{\"name\":\"d\",\"group\":\"runtime\",\"pinnable\":false},{\"name\":\"stranger\",\"group\":null}]}");
        assertThat(r.completenessProblems("prod", runtimes)).containsExactly(
                "target prod: release runtime@v1 leaves out b (a member of group runtime): add it to images, or to exclude with a reason.",
                "target prod: stranger is not a member of group runtime.");
    }

    @Test
    void theExamplesParse() throws Exception {
        List<String> problems = new ArrayList<>();
        ReleaseFile example = ReleaseFile.read(Path.of("examples/release.yaml"), problems);
        assertThat(problems).isEmpty();
        assertThat(example.id()).isEqualTo("runtime@v0.3.43");
        assertThat(example.exclude()).containsKey("openclaw");

        TargetOptions targets = new TargetOptions();
        new picocli.CommandLine(targets).parseArgs("--targets", "examples/targets.yaml");
        var resolution = targets.resolve(java.util.Map.of("STAGING_TOKEN", "s", "PROD_TOKEN", "p"));
        assertThat(resolution.problems()).isEmpty();
        assertThat(resolution.targets()).extracting(Target::name).containsExactly("staging", "prod");

        var workflow = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("examples/publish-image.yml").toFile());
        assertThat(workflow.at("/jobs/build/strategy/matrix/template").toString())
                .isEqualTo("[\"claude-code\",\"platform-agent\",\"hermes\",\"codex\",\"openclaw\"]");
        workflow.at("/jobs/build/strategy/matrix/template").forEach(t ->
                assertThat(workflow.at("/jobs/build/outputs").has(t.asText())).as("job output for %s", t).isTrue());

        // Verified provenance: the publish job may mint an OIDC ID token, masks it, and presents it instead of a secret.
        assertThat(workflow.at("/jobs/publish/permissions/id-token").asText()).isEqualTo("write");
        String steps = workflow.at("/jobs/publish/steps").toString();
        assertThat(steps).contains("ACTIONS_ID_TOKEN_REQUEST_URL").contains("audience=").contains("::add-mask::")
                .contains("LOCKSTEP_TOKEN").doesNotContain("secrets.LOCKSTEP");
    }
}
