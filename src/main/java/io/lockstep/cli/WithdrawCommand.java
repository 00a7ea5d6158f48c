package io.lockstep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.cli.client.Target;
import io.lockstep.domain.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lockstep withdraw RELEASE_ID}: takes back a release nobody promoted yet (a publish that failed
 * after registering it), on every target, so its runtime version can be registered again with the
 * fixed digests. A target that never registered it has nothing to withdraw and counts as done; a
 * target where it was promoted refuses ({@code 409 RELEASE_CONFLICT}) and the command exits 1.
 */
@Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw a release that was never promoted, on every target.")
public final class WithdrawCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RELEASE_ID", description = "The release, as <group>@<runtime version>.")
    String releaseId;

    @Option(names = "--reason", description = "Why; recorded with the withdrawal.")
    String reason;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<Target> targets = targets(problems);
        int at = releaseId.indexOf('@');
        if (at <= 0 || !Names.isValid(releaseId.substring(0, at)) || at == releaseId.length() - 1) {
            problems.add("RELEASE_ID " + Names.quoteForError(releaseId) + " is not <group>@<runtime version>.");
        }
        problems.addAll(Preflight.pinOptions(null, null, reason));
        if (!problems.isEmpty()) {
            return refuse(problems);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        boolean ok = true;
        for (Target t : targets) {
            LockstepClient client = client(t);
            Map<String, Object> body = new LinkedHashMap<>();
            if (reason != null) {
                body.put("reason", reason);
            }
            ApiResponse r = client.post("/api/v1/releases/" + LockstepClient.encode(releaseId) + "/withdraw", body);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", t.name());
            if (r.ok()) {
                row.put("result", "withdrawn");
            } else if (r.status() == 404 && "UNKNOWN_RELEASE".equals(r.code())) {
                row.put("result", "not registered");
            } else {
                ok = false;
                row.put("result", "failed");
                row.put("detail", r.describe());
                err.println("lockstep: " + t.name() + ": withdraw " + Printable.text(releaseId) + " failed: " + r.describe());
            }
            results.add(row);
        }
        if (json) {
            try {
                out.println(Printable.json(false).writeValueAsString(Map.of("ok", ok, "release_id", releaseId,
                        "results", results)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            for (Map<String, Object> row : results) {
                out.println(Printable.text(row.get("target") + "  " + releaseId + "  " + row.get("result")));
            }
        }
        out.flush();
        err.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
