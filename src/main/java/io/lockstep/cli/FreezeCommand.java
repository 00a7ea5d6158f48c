package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lockstep freeze --target prod=URL --reason "incident 4711" [--group G] [--for 4h | --until ISO]}: stops
 * the line. Every promote into the target's environment (or of the group) is refused with LINE_STOPPED until
 * the stop is lifted ({@code lockstep unfreeze}) or its end passes; rollbacks still work.
 */
@Command(name = "freeze", mixinStandardHelpOptions = true,
        description = "Stop the line: refuse every promote into one target's environment (or one group) until unfrozen.")
public final class FreezeCommand extends SingleTargetCommand {
    @Option(names = "--reason", required = true, description = "Why; shown in every refusal (e.g. \"incident 4711\").")
    String reason;

    @Option(names = "--group", description = "Stop only this template group (default: the whole environment).")
    String group;

    @Option(names = "--for", paramLabel = "DURATION", description = "End the stop after this long, e.g. 30m, 4h, 2d.")
    String forDuration;

    @Option(names = "--until", paramLabel = "TIME", description = "End the stop at this time, e.g. 2026-12-01T14:00:00Z.")
    String until;

    @Override
    String commandName() {
        return "freeze";
    }

    @Override
    void preflight(List<String> problems) {
        if (reason.isBlank()) {
            problems.add("--reason must say why the line is stopped.");
        }
        if (forDuration != null && until != null) {
            problems.add("give --for or --until, not both.");
        }
        if (forDuration != null && !forDuration.matches("\\d{1,6}[smhd]")) {
            problems.add("--for must be a duration like 30m, 4h or 2d.");
        }
        if (until != null) {
            try {
                OffsetDateTime.parse(until);
            } catch (DateTimeParseException e) {
                problems.add("--until must be a time with its offset, like 2026-12-01T14:00:00Z.");
            }
        }
    }

    @Override
    int run(LockstepClient client) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (group != null) {
            body.put("group", group);
        }
        if (forDuration != null) {
            body.put("for", forDuration);
        }
        if (until != null) {
            body.put("until", until);
        }
        ApiResponse r = client.post(client.environmentPath("/freezes"), body);
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
        } else {
            var s = r.json();
            out.println(Printable.text(client.target().name() + ": stopped " + s.path("environment").asText()
                    + (s.path("group").isTextual() ? " (group " + s.path("group").asText() + ")" : "")
                    + (s.path("until").isTextual() ? " until " + s.path("until").asText() : " until lifted")
                    + "; id " + s.path("id").asText()));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
