package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.ProvenanceOptions;
import io.lockstep.cli.client.Readback;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.ResultRow;
import io.lockstep.cli.client.RetryOptions;
import io.lockstep.wire.PromoteResultJson.PromoteResult;
import io.lockstep.wire.PromoteResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code lockstep rollback --template T [--to D]}: back to the previous digest, or to one from the pin's history. */
@Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll one pin back on one target (to the previous digest, or --to one from its history).")
public final class RollbackCommand extends SingleTargetCommand {
    @Option(names = "--template", required = true, description = "Template to roll back.")
    String template;

    @Option(names = "--to", paramLabel = "DIGEST", description = "Digest from the pin's history to return to (default: the previous one).")
    String to;

    @Option(names = "--region", description = "Region (default global).")
    String region;

    @Option(names = "--notes", description = "Why; recorded in the history.")
    String notes;

    @Mixin
    RetryOptions retry;

    @Mixin
    OverrideOption override;

    @Mixin
    ProvenanceOptions provenanceOptions;

    private Map<String, String> provenance = Map.of();

    @Override
    String commandName() {
        return "rollback";
    }

    @Override
    void preflight(List<String> problems) {
        problems.addAll(Preflight.pinOptions(template, region, notes));
        if (to != null) {
            Preflight.digest("--to", to, problems);
        }
        provenance = provenanceOptions.resolve(env, problems);
        override.check(problems);
    }

    @Override
    int run(LockstepClient client) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (to != null) {
            body.put("to_digest", to);
        }
        if (region != null) {
            body.put("region", region);
        }
        if (notes != null) {
            body.put("notes", notes);
        }
        override.addTo(body);
        if (!provenance.isEmpty()) {
            body.put("provenance", provenance);
        }
        String name = client.target().name();
        ApiResponse r = client.postWithRetry(client.environmentPath("/pins/" + LockstepClient.encode(template) + "/rollback"),
                body, retry.policy(), this::retryNotice);
        ResultRow row;
        if (!r.ok() && r.maybeDelivered()) {
            // Without --to the target digest is the server's choice, so only --to can be confirmed by reading back.
            row = to != null ? Readback.afterNoAnswer(name, template, to, r, Readback.read(client, region))
                    : new ResultRow(name, template, null, null, ResultRow.OUTCOME_UNKNOWN, false, "the request got "
                    + r.describe() + "; check with lockstep history before retrying.");
        } else if (!r.ok()) {
            row = ResultRow.failed(name, template, to, r.describe());
        } else {
            PromoteResult result = PromoteResultJson.read(r.json());
            String landed = result.digest();
            row = landed == null
                    ? ResultRow.failed(name, template, to, "the server did not say which digest it rolled back to: " + r.describe())
                    : Readback.verify(name, template, result.previousDigest(), landed,
                    "rolled back", Readback.read(client, region));
        }
        return finish(new Report("rollback", template, List.of(row),
                Preflight.summary("rollback " + template, List.of(client.target()), List.of(row))));
    }
}
