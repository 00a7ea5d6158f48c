package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import picocli.CommandLine.Command;

/** {@code lockstep approvals}: what waits for approval in the target's environment, and the live approvals. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "List pending approval requests and live approvals of one target's environment.")
public final class ApprovalsCommand extends SingleTargetCommand {
    @Override
    String commandName() {
        return "approvals";
    }

    @Override
    int run(LockstepClient client) {
        ApiResponse r = client.get(client.environmentPath("/approvals"));
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
            return ExitCodes.OK;
        }
        Table pending = new Table("PENDING", "REQUESTED BY", "REQUESTED AT");
        for (JsonNode n : r.json().path("pending")) {
            pending.row(subject(n), n.path("requested_by").asText(), n.path("requested_at").asText());
        }
        pending.print(out);
        out.println();
        Table given = new Table("APPROVED", "BY", "EXPIRES AT", "ID");
        for (JsonNode n : r.json().path("approvals")) {
            given.row(subject(n), n.path("approver").asText(), n.path("expires_at").asText(), n.path("id").asText());
        }
        given.print(out);
        out.flush();
        return ExitCodes.OK;
    }

    private static String subject(JsonNode n) {
        return n.hasNonNull("release") ? n.path("release").asText()
                : n.path("template").asText() + "@" + n.path("digest").asText() + " (" + n.path("region").asText() + ")";
    }
}
