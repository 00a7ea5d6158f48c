package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.domain.Pin;
import io.lockstep.wire.PinJson;
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
            Table t = new Table("TEMPLATE", "REGION", "DIGEST", "RUNTIME", "PROMOTED AT", "BY", "PROVENANCE");
            for (JsonNode n : r.json().path("pins")) {
                Pin p = PinJson.read(n);
                t.row(p.key().template(), p.key().region(), p.digest(),
                        p.runtimeVersion() == null ? "-" : p.runtimeVersion(), String.valueOf(p.promotedAt()),
                        String.valueOf(p.promotedBy()), p.provenanceKindShown().wire());
            }
            t.print(out);
        }
        return ExitCodes.OK;
    }
}
