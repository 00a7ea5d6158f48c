package io.lockstep.service.registry;

import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.SharedRegistry;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockstep promote --tag} and {@code tag:} entries in a release file, run as real CLI
 * subprocesses against a real server and the real registry.
 */
class CliTagResolutionTest {
    @RegisterExtension
    static final SharedRegistry shared = new SharedRegistry();

    @TempDir
    Path dir;


    private record Run(int exit, String out, String err) {
    }

    private Run cli(RegistryServer s, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lockstep.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--target", "staging=" + s.server.baseUrl()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().put("LOCKSTEP_TOKEN", TestConfig.CI);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private Path registryConfig() throws IOException {
        return Files.writeString(dir.resolve("registries.yaml"), """
                registries:
                  registry.example.com:
                    url: %s
                """.formatted(shared.fixture().url()), StandardCharsets.UTF_8);
    }

    /** Pushes an image for every member of the runtime group under {@code tag}; template → digest. */
    private static Map<String, String> pushGroup(String tag, String revision) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        for (String t : TestConfig.GROUP) {
            digests.put(t, TestImages.pushImage(shared.client(), "molecule/" + t, tag,
                    Map.of(ImageLabels.REVISION, revision, ImageLabels.VERSION, tag)).digest());
        }
        return digests;
    }

    /** A release file naming every member of the runtime group by {@code tag}. */
    private static String tagReleaseFile(String tag) {
        StringBuilder file = new StringBuilder("group: runtime\nimages:\n");
        for (String t : TestConfig.GROUP) {
            file.append("  ").append(t).append(": {tag: ").append(tag).append("}\n");
        }
        return file.toString();
    }

    @Test
    void promoteByTagPinsTheTagsDigestWithGitShaAndVersionFromTheLabels() throws Exception {
        String digest = TestImages.pushImage(shared.client(), "molecule/codex", "sha-19f3175",
                Map.of(ImageLabels.REVISION, "19f3175abc", ImageLabels.VERSION, "0.3.44")).digest();
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, null, null)) {
            Run run = cli(s, "promote", "--template", "codex", "--tag", "sha-19f3175", "--registry-config", registryConfig().toString());
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.err()).contains("tag sha-19f3175 is " + digest);
            var pin = s.pin("staging", "codex");
            assertThat(pin.path("image_digest").asText()).isEqualTo(digest);
            assertThat(pin.path("git_sha").asText()).isEqualTo("19f3175abc");
            assertThat(pin.path("runtime_version").asText()).isEqualTo("0.3.44");

            Run missing = cli(s, "promote", "--template", "codex", "--tag", "sha-0000000", "--registry-config", registryConfig().toString());
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no tag sha-0000000").contains("nothing was written");

            Run noConfig = cli(s, "promote", "--template", "codex", "--tag", "sha-19f3175");
            assertThat(noConfig.exit()).isEqualTo(2);
            assertThat(noConfig.err()).contains("--registry-config");
            assertThat(s.pin("staging", "codex").path("version").asLong()).isEqualTo(1);
        }
    }

    @Test
    void publishResolvesTagEntriesOfTheReleaseFileBeforeWriting() throws Exception {
        Map<String, String> digests = pushGroup("v0.3.50", "19f3175def");
        String file = tagReleaseFile("v0.3.50");
        Path release = Files.writeString(dir.resolve("release.yaml"), file);
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, null, null)) {
            Run run = cli(s, "publish", "--release", release.toString(), "--registry-config", registryConfig().toString());
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            var created = s.get("/api/v1/releases/runtime@v0.3.50");
            assertThat(created.path("git_sha").asText()).isEqualTo("19f3175def");
            for (String t : TestConfig.GROUP) {
                assertThat(created.path("images").path(t).asText()).isEqualTo(digests.get(t));
                assertThat(s.pin("staging", t).path("image_digest").asText()).isEqualTo(digests.get(t));
            }

            Path partial = Files.writeString(dir.resolve("partial.yaml"),
                    file.replace("hermes: {tag: v0.3.50}", "hermes: {tag: v0.3.51}"));
            Run bad = cli(s, "publish", "--release", partial.toString(), "--registry-config", registryConfig().toString());
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("hermes: the registry has no tag v0.3.51");
            assertThat(s.get("/api/v1/releases").path("releases")).hasSize(1);
        }
    }

    @Test
    void planResolvesTagEntriesAsPublishDoesAndWritesNothing() throws Exception {
        Map<String, String> digests = pushGroup("v0.3.60", "19f3175fed");
        Path release = Files.writeString(dir.resolve("plan-release.yaml"), tagReleaseFile("v0.3.60"));
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, null, null)) {
            Run noConfig = cli(s, "plan", "--release", release.toString());
            assertThat(noConfig.exit()).isEqualTo(2);
            assertThat(noConfig.err()).contains("--registry-config");

            Run plan = cli(s, "plan", "--release", release.toString(), "--registry-config", registryConfig().toString(), "--json");
            assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
            var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan.out());
            assertThat(report.path("subject").asText()).isEqualTo("runtime@v0.3.60");
            assertThat(report.path("results")).hasSize(TestConfig.GROUP.length);
            for (var row : report.path("results")) {
                assertThat(row.path("to_digest").asText()).isEqualTo(digests.get(row.path("template").asText()));
                assertThat(row.path("status").asText()).isEqualTo("MISSING ROW");
            }
            assertThat(s.get("/api/v1/releases").path("releases")).isEmpty();
        }
    }
}
