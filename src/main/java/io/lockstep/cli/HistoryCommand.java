package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.ResultRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code lockstep history --template T}: a pin's history, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show the history of one pin on one target.")
public final class HistoryCommand extends SingleTargetCommand {
    @Option(names = "--template", required = true, description = "Template whose pin history to show.")
    String template;

    @Option(names = "--region", description = "Region (default global).")
    String region;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (1-500). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    String commandName() {
        return "history";
    }

    @Override
    void preflight(List<String> problems) {
        problems.addAll(Preflight.pinOptions(template, region, null));
        if (limit < 1 || limit > 500) {
            problems.add("--limit must be between 1 and 500.");
        }
    }

    @Override
    int run(LockstepClient client) {
        String query = "?limit=" + limit + (region == null ? "" : "&region=" + LockstepClient.encode(region));
        ApiResponse r = client.get(client.environmentPath("/pins/" + LockstepClient.encode(template) + "/history" + query));
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
        } else {
            Table t = new Table("SEQ", "AT", "ACTION", "DIGEST", "RUNTIME", "BY", "PROVENANCE", "NOTES");
            for (JsonNode e : r.json().path("entries")) {
                String from = e.path("from_digest").asText(null);
                String to = e.path("to_digest").asText(null);
                t.row(e.path("seq").asText(), e.path("at").asText(), e.path("action").asText(),
                        new ResultRow("", "", from, to, "", true, null).movement(), e.path("runtime_version").asText("-"),
                        e.path("promoted_by").asText(), e.path("provenance_kind").asText("-"), notes(e));
            }
            t.print(out);
        }
        return ExitCodes.OK;
    }

    /** The notes, and a break-glass override with its reason and what it overrode, so nobody misses one. */
    private static String notes(JsonNode e) {
        String notes = e.path("notes").asText("");
        JsonNode o = e.path("override");
        if (o.isMissingNode() || o.isNull()) {
            return notes;
        }
        List<String> codes = new java.util.ArrayList<>();
        o.path("overrode").forEach(c -> codes.add(c.asText()));
        String override = "OVERRIDE by " + e.path("promoted_by").asText() + " (" + o.path("reason").asText() + ")"
                + (codes.isEmpty() ? ", overrode nothing" : ", overrode " + String.join(", ", codes));
        return notes.isEmpty() ? override : notes + "; " + override;
    }
}
