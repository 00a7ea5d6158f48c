package io.lockstep.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a multi-target command, rendered as an aligned text table, as JSON
 * ({@code --json}), and in CI as {@code ::error} annotations plus a Markdown step summary
 * (GitHub Actions and Gitea Actions read the same workflow commands).
 */
public record Report(String command, String subject, List<ResultRow> rows, List<String> summary, List<String> problems) {
    public Report(String command, String subject, List<ResultRow> rows, List<String> summary) {
        this(command, subject, rows, summary, List.of());
    }

    /** A command refused before sending anything: no rows, one problem per line. */
    public static Report refused(String command, List<String> problems) {
        return new Report(command, null, List.of(), List.of(), List.copyOf(problems));
    }

    public boolean ok() {
        return problems.isEmpty() && rows.stream().allMatch(ResultRow::ok);
    }

    /**
     * 2 when refused, 4 when a write may or may not have been applied (a pipeline must look before
     * it retries), 1 when anything else failed, 0 otherwise.
     */
    public int exitCode() {
        if (!problems.isEmpty()) {
            return 2;
        }
        if (rows.stream().anyMatch(ResultRow::outcomeUnknown)) {
            return 4;
        }
        return ok() ? 0 : 1;
    }

    public void printText(PrintStream out) {
        int[] w = new int[3];
        for (ResultRow r : rows) {
            w[0] = Math.max(w[0], r.target().length());
            w[1] = Math.max(w[1], r.template().length());
            w[2] = Math.max(w[2], r.movement().length());
        }
        for (ResultRow r : rows) {
            StringBuilder line = new StringBuilder()
                    .append(pad(r.target(), w[0])).append("  ")
                    .append(pad(r.template(), w[1])).append("  ")
                    .append(pad(r.movement(), w[2])).append("  ")
                    .append(r.status());
            if (r.detail() != null && !r.detail().isEmpty()) {
                line.append("  ").append(r.detail());
            }
            out.println(Printable.text(line.toString().stripTrailing()));
        }
        summary.forEach(s -> out.println(Printable.text(s)));
        out.flush();
    }

    public void printJson(PrintStream out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("subject", subject);
        m.put("ok", ok());
        List<Map<String, Object>> results = new ArrayList<>();
        for (ResultRow r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", r.target());
            row.put("template", r.template());
            row.put("from_digest", r.from());
            row.put("to_digest", r.to());
            row.put("status", r.status());
            row.put("ok", r.ok());
            row.put("detail", r.detail());
            results.add(row);
        }
        m.put("results", results);
        m.put("summary", summary);
        if (!problems.isEmpty()) {
            m.put("problems", problems);
        }
        m.put("exit_code", exitCode());
        try {
            out.println(Printable.json(true).writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** True when the process runs under GitHub Actions or Gitea Actions. */
    public static boolean inCi(Map<String, String> env) {
        return "true".equals(env.get("GITHUB_ACTIONS")) || "true".equals(env.get("GITEA_ACTIONS"));
    }

    /**
     * In CI: one {@code ::error} annotation per failed row on {@code out}, and the Markdown table
     * appended to {@code $GITHUB_STEP_SUMMARY} when it names a file. Outside CI: nothing.
     */
    public void emitCi(Map<String, String> env, PrintStream out, PrintStream err) {
        if (!inCi(env)) {
            return;
        }
        for (String p : problems) {
            out.println("::error title=" + escapeProperty("lockstep " + command + ": refused") + "::" + Printable.text(escapeData(p)));
        }
        for (ResultRow r : rows) {
            if (!r.ok()) {
                out.println("::error title=" + escapeProperty("lockstep " + command + ": " + r.target() + " " + r.template())
                        + "::" + Printable.text(escapeData(r.target() + " " + r.template() + " " + r.status()
                        + (r.detail() == null ? "" : ": " + r.detail()))));
            }
        }
        out.flush();
        String summaryFile = env.get("GITHUB_STEP_SUMMARY");
        if (summaryFile != null && !summaryFile.isBlank()) {
            try {
                Files.writeString(Path.of(summaryFile), markdown(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                err.println("lockstep: cannot append the step summary to " + summaryFile + ": " + e.getMessage());
            }
        }
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("### lockstep ").append(command).append(subject == null ? "" : " " + subject)
                .append(ok() ? " ✅" : " ❌").append("\n\n")
                .append("| target | template | digest | status | detail |\n|---|---|---|---|---|\n");
        for (ResultRow r : rows) {
            b.append("| ").append(cell(r.target())).append(" | ").append(cell(r.template())).append(" | ")
                    .append(cell(r.movement())).append(" | ").append(r.ok() ? "" : "**").append(cell(r.status()))
                    .append(r.ok() ? "" : "**").append(" | ").append(cell(r.detail())).append(" |\n");
        }
        b.append('\n');
        problems.forEach(p -> b.append("- ").append(cell(p)).append('\n'));
        summary.forEach(s -> b.append(cell(s)).append("\n\n"));
        return b.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : Printable.text(s).replace("|", "\\|");
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** Workflow-command escaping of a message, as the GitHub Actions toolkit does it. */
    static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }
}
