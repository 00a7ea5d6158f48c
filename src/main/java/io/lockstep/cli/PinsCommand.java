package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import picocli.CommandLine.Command;

/** {@code lockstep pins}: the pins of the target's environment. */
@Command(name = "pins", mixinStandardHelpOptions = true, description = "List the pins of one target's environment.")
public final class PinsCommand extends SingleTargetCommand {
    @Override
    String commandName() {
        return "pins";
    }

    @Override
    int run(LockstepClient client) {
        ApiResponse r = client.get(client.environmentPath("/pins"));
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
        } else {
            Table t = new Table("TEMPLATE", "REGION", "DIGEST", "RUNTIME", "PROMOTED AT", "BY");
            for (JsonNode p : r.json().path("pins")) {
                t.row(p.path("template_name").asText(), p.path("region").asText(), p.path("image_digest").asText(),
                        p.path("runtime_version").asText("-"), p.path("promoted_at").asText(), p.path("promoted_by").asText());
            }
            t.print(out);
        }
        return ExitCodes.OK;
    }
}
