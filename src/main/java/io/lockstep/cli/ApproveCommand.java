package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lockstep approve --release runtime@v0.3.44 --target prod=URL}: approves one change in the
 * target's environment (which needs {@code approvals}), as the token's identity; or {@code --template T
 * --digest D [--region R]} for a promote of one pin. The token needs scope {@code approve}.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a release (or one template's digest) for the target's environment.")
public final class ApproveCommand extends SingleTargetCommand {
    @Option(names = "--release", paramLabel = "RELEASE_ID", description = "The release, as <group>@<runtime version>.")
    String release;

    @Option(names = "--template", description = "With --digest: approve a promote of this template's pin.")
    String template;

    @Option(names = "--digest", description = "With --template: the digest approved (sha256:…).")
    String digest;

    @Option(names = "--region", description = "With --template: the pin's region (default: global).")
    String region;

    @Option(names = "--notes", description = "Why; recorded with the approval.")
    String notes;

    @Override
    String commandName() {
        return "approve";
    }

    @Override
    void preflight(List<String> problems) {
        boolean pin = template != null || digest != null || region != null;
        if ((release == null) == !pin) {
            problems.add("approve needs either --release, or --template and --digest (with an optional --region).");
        } else if (pin && (template == null || digest == null)) {
            problems.add("approve --template needs --digest too (and --digest needs --template).");
        }
        problems.addAll(Preflight.pinOptions(null, null, notes));
    }

    @Override
    int run(LockstepClient client) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (release != null) {
            body.put("release", release);
        } else {
            body.put("template", template);
            body.put("digest", digest);
            if (region != null) {
                body.put("region", region);
            }
        }
        if (notes != null) {
            body.put("notes", notes);
        }
        ApiResponse r = client.post(client.environmentPath("/approvals"), body);
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        if (json) {
            printServerJson(r);
        } else {
            String what = release != null ? release : template + "@" + digest;
            out.println(Printable.text(client.target().name() + "  approved " + what + " as "
                    + r.json().path("approver").asText() + " until " + r.json().path("expires_at").asText()
                    + "  (id " + r.json().path("id").asText() + ")"));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
