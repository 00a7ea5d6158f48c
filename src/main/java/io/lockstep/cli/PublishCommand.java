package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.ProvenanceOptions;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Readback;
import io.lockstep.cli.client.ReleaseFile;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.ResultRow;
import io.lockstep.cli.client.RetryOptions;
import io.lockstep.cli.client.Target;
import io.lockstep.wire.PromoteResultJson.PromoteResult;
import io.lockstep.wire.PromoteResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lockstep publish}: registers a release on every target, then promotes it on every target,
 * all targets concurrently and independently, and reads every pin back.
 * <p>Preflight, before any write: tokens present, the release file parses, every digest is valid
 * (these send no request at all), and the release is complete for its group on every target — for
 * that the CLI reads each target's public {@code GET /cp/runtimes} (a read, never a write).
 */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Register a release and promote it to every target in lock-step.")
public final class PublishCommand extends ClientCommand {
    @Mixin
    ReleaseOptions releaseOptions;

    @Option(names = "--notes", description = "Notes recorded in each pin's history.")
    String notes;

    @Option(names = "--region", description = "Region to promote (default global).")
    String region;

    @Mixin
    RetryOptions retry;

    @Mixin
    OverrideOption override;

    @Mixin
    ProvenanceOptions provenanceOptions;

    private Map<String, String> provenance = Map.of();

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<Target> targets = targets(problems);
        problems.addAll(Preflight.pinOptions(null, region, notes));
        provenance = provenanceOptions.resolve(env, problems);
        override.check(problems);
        ReleaseInput input = releaseOptions.read(this, targets, problems);
        if (input == null) {
            return refuse(problems);
        }
        ReleaseFile release = input.release();
        ReleaseInput.Verdict verdict = input.verdict();
        if (verdict.refused()) {
            return refuse(verdict.refusals());
        }
        List<ResultRow> rows = new ArrayList<>();
        Fanout.each(verdict.writable(), t -> publishTo(t, release), (t, e) -> crashed(t, release, e)).forEach(rows::addAll);
        for (ReleaseInput.Reached t : verdict.unreadable()) {
            rows.addAll(allFailed(t.target(), release, "cannot read GET /cp/runtimes: " + t.runtimes().describe()));
        }
        return finish(new Report("publish", release.id(), rows, Preflight.summary("publish " + release.id(), targets, rows)));
    }

    private List<ResultRow> publishTo(Target target, ReleaseFile release) {
        LockstepClient client = client(target);
        ApiResponse registered = client.postWithRetry("/api/v1/releases", release.body(), retry.policy(), this::retryNotice);
        // A register that got no answer may have been applied: the release being there is all promote needs.
        boolean readBack = !registered.ok() && registered.maybeDelivered()
                && client.get("/api/v1/releases/" + LockstepClient.encode(release.id())).ok();
        if (!registered.ok() && !readBack) {
            return allFailed(target, release, "register failed: " + registered.describe());
        }
        Map<String, Object> body = new LinkedHashMap<>();
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
        ApiResponse promoted = client.postWithRetry(
                client.environmentPath("/releases/" + LockstepClient.encode(release.id()) + "/promote"), body,
                retry.policy(), this::retryNotice);
        if (!promoted.ok() && promoted.maybeDelivered()) {
            Readback.Pins pins = Readback.read(client, region);
            List<ResultRow> rows = new ArrayList<>();
            release.images().forEach((template, digest) ->
                    rows.add(Readback.afterNoAnswer(target.name(), template, digest, promoted, pins)));
            return rows;
        }
        if (!promoted.ok()) {
            return allFailed(target, release, "promote failed: " + promoted.describe());
        }
        Map<String, PromoteResult> results = new HashMap<>();
        for (JsonNode n : promoted.json().path("results")) {
            PromoteResult r = PromoteResultJson.read(n);
            results.put(r.templateName(), r);
        }
        Readback.Pins pins = Readback.read(client, region);
        List<ResultRow> rows = new ArrayList<>();
        release.images().forEach((template, digest) -> {
            PromoteResult r = results.get(template);
            String from = r == null ? null : r.previousDigest();
            String status = r == null ? "not reported" : r.result() == null ? "?" : r.result();
            rows.add(Readback.verify(target.name(), template, from, digest, status, pins));
        });
        release.exclude().forEach((template, reason) -> rows.add(new ResultRow(target.name(), template,
                null, pins.actual(template), "excluded", true, reason)));
        return rows;
    }

    private static List<ResultRow> allFailed(Target target, ReleaseFile release, String detail) {
        List<ResultRow> rows = new ArrayList<>();
        release.images().forEach((template, digest) -> rows.add(ResultRow.failed(target.name(), template, digest, detail)));
        return rows;
    }

    private static List<ResultRow> crashed(Target target, ReleaseFile release, Throwable e) {
        return allFailed(target, release, "client error: " + e);
    }
}
