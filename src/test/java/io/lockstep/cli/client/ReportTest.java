package io.lockstep.cli.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    static final String OLD = "sha256:201a5fa" + "0".repeat(57);
    static final String NEW = "sha256:19f3175" + "1".repeat(57);
    @TempDir
    Path dir;

    private final Report report = new Report("publish", "runtime@v1", List.of(
            new ResultRow("prod", "platform-agent", OLD, NEW, "updated", true, null),
            ResultRow.failed("staging", "hermes", NEW, "HTTP 403 {\"error\":\"a: b, c\n100%\"}")), List.of("summary"));

    @Test
    void textHasOneAlignedLinePerTargetAndTemplate() {
        String text = render(out -> report.printText(out));
        assertThat(text).startsWith("prod     platform-agent  sha256:201a5fa00000… → sha256:19f317511111…  updated\n")
                .contains("staging  hermes          sha256:19f317511111…").endsWith("summary\n");
        assertThat(report.ok()).isFalse();
    }

    @Test
    void ciAnnotationsAreEscapedAndTheSummaryTableIsAppended() throws Exception {
        Path summary = Files.writeString(dir.resolve("s.md"), "earlier step\n");
        String out = render(o -> report.emitCi(Map.of("GITEA_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString()), o, o));
        assertThat(out).isEqualTo("::error title=lockstep publish%3A staging hermes::staging hermes FAILED: "
                + "HTTP 403 {\"error\":\"a: b, c%0A100%25\"}\n");
        assertThat(Files.readString(summary)).startsWith("earlier step\n### lockstep publish runtime@v1 ❌")
                .contains("| staging | hermes | sha256:19f317511111… | **FAILED** |");
        assertThat(render(o -> report.emitCi(Map.of(), o, o))).isEmpty();
    }

    private static String render(java.util.function.Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
