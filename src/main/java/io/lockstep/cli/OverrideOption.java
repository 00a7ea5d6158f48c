package io.lockstep.cli;

import io.lockstep.domain.Names;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/**
 * {@code --override REASON}: break-glass for one change (the body's {@code override: {reason}}). The server
 * accepts it from an admin token only and records the reason in the history; the CLI only checks the reason
 * is there and short enough, so a pipeline learns of a typo before anything is sent.
 */
final class OverrideOption {
    @Option(names = "--override", paramLabel = "REASON", description = "Break-glass, admin token only: let this one"
            + " change pass the promotion policy gates (requires, approvals, freeze windows, stop the line). REASON is"
            + " recorded in the history and counted in metrics.")
    String reason;

    void check(List<String> problems) {
        if (reason == null) {
            return;
        }
        if (reason.isBlank()) {
            problems.add("--override needs a reason: say why this change may pass the policy gates.");
        } else if (reason.length() > Names.MAX_NOTES) {
            problems.add("--override's reason must be at most " + Names.MAX_NOTES + " characters.");
        }
    }

    void addTo(Map<String, Object> body) {
        if (reason != null) {
            body.put("override", Map.of("reason", reason));
        }
    }
}
