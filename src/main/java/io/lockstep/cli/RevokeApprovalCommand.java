package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.domain.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code lockstep revoke-approval ID}: takes back a live approval (its approver's token, or admin). */
@Command(name = "revoke-approval", mixinStandardHelpOptions = true,
        description = "Revoke a live approval in the target's environment (by its id, see lockstep approvals).")
public final class RevokeApprovalCommand extends SingleTargetCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The approval's id.")
    String id;

    @Override
    String commandName() {
        return "revoke-approval";
    }

    @Override
    void preflight(List<String> problems) {
        if (id == null || id.isBlank() || id.length() > 128) {
            problems.add("ID " + Names.quoteForError(String.valueOf(id)) + " is not an approval id.");
        }
    }

    @Override
    int run(LockstepClient client) {
        ApiResponse r = client.delete(client.environmentPath("/approvals/" + LockstepClient.encode(id)));
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
        } else {
            out.println(Printable.text(client.target().name() + "  revoked approval " + id));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
