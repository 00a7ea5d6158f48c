package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Readback;
import io.lockstep.cli.client.ReleaseFile;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.ResultRow;
import io.lockstep.cli.client.Target;
import io.lockstep.wire.PromotabilityJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lockstep plan}: read-only. Per target and template: {@code already at target},
 * {@code PROMOTE REQUIRED (old → new)}, {@code MISSING ROW} or {@code UNKNOWN TEMPLATE}. Any target
 * that cannot be read fails the whole plan (exit 1): a partial plan is worse than none. A row that needs a
 * promote also says what the target's promotion gate would refuse it with now ({@code blocked: …}).
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Show what publishing a release would change on every target (read-only).")
public final class PlanCommand extends ClientCommand {
    static final String AT_TARGET = "already at target";
    static final String PROMOTE_REQUIRED = "PROMOTE REQUIRED";
    static final String MISSING_ROW = "MISSING ROW";
    static final String UNKNOWN_TEMPLATE = "UNKNOWN TEMPLATE";

    @Mixin
    ReleaseOptions releaseOptions;

    @Option(names = "--region", description = "Region to compare (default global).")
    String region;

    @Option(names = "--fail-if-pending", description = "Exit " + ExitCodes.DRIFT + " while a promote is still required"
            + " (a PROMOTE REQUIRED or MISSING ROW row on any target): a gate for a pipeline that must not go green"
            + " until every target has the release.")
    boolean failIfPending;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<Target> targets = targets(problems);
        problems.addAll(Preflight.pinOptions(null, region, null));
        ReleaseInput input = releaseOptions.read(this, targets, problems);
        if (input == null) {
            return refuse(problems);
        }
        ReleaseFile release = input.release();
        ReleaseInput.Verdict verdict = input.verdict();
        List<ResultRow> rows = new ArrayList<>();
        Fanout.each(input.targets(), t -> planFor(t.target(), release, t.runtimes()),
                (t, e) -> unreadable(t.target(), release, "client error: " + e)).forEach(rows::addAll);
        if (verdict.refused()) {
            // The same lines, and the same exit 2, as publish would give for this release.
            verdict.refusals().forEach(p -> err.println("lockstep: " + p));
            err.println("lockstep: publish would refuse this release and write nothing (exit " + ExitCodes.USAGE + ").");
            err.flush();
            return finish(new Report("plan", release.id(), rows, List.of("plan " + release.id()
                    + ": publish would refuse this release (" + verdict.refusals().size() + " problem(s)); nothing would be"
                    + " written"), verdict.refusals()));
        }
        int exit = finish(new Report("plan", release.id(), rows, List.of(summary(targets, rows, release))));
        Set<String> pending = pending(rows);
        if (exit == ExitCodes.OK && failIfPending && !pending.isEmpty()) {
            err.println("lockstep: plan " + release.id() + ": a promote is still required on " + String.join(", ", pending)
                    + " (--fail-if-pending, exit " + ExitCodes.DRIFT + ").");
            err.flush();
            return ExitCodes.DRIFT;
        }
        return exit;
    }

    /** target/template of every row that still needs a promote. */
    private static Set<String> pending(List<ResultRow> rows) {
        Set<String> out = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (r.status().startsWith(PROMOTE_REQUIRED) || r.status().equals(MISSING_ROW)) {
                out.add(r.target() + " " + r.template());
            }
        }
        return out;
    }

    private List<ResultRow> planFor(Target target, ReleaseFile release, ApiResponse runtimes) {
        LockstepClient client = client(target);
        if (!runtimes.ok()) {
            return unreadable(target, release, "cannot read GET /cp/runtimes: " + runtimes.describe());
        }
        ApiResponse pins = client.get(client.environmentPath("/pins"));
        if (!pins.ok()) {
            return unreadable(target, release, "cannot read the pins: " + pins.describe());
        }
        Set<String> known = new HashSet<>();
        for (JsonNode r : runtimes.json().path("runtimes")) {
            known.add(r.path("name").asText());
        }
        Map<String, String> current = Readback.digests(pins.json(), region);
        List<ResultRow> rows = new ArrayList<>();
        release.images().forEach((template, digest) -> {
            String now = current.get(template);
            String verdict;
            if (!known.contains(template)) {
                verdict = UNKNOWN_TEMPLATE;
            } else if (now == null) {
                verdict = MISSING_ROW;
            } else if (now.equals(digest)) {
                verdict = AT_TARGET;
            } else {
                verdict = PROMOTE_REQUIRED + " (" + ResultRow.brief(now) + " → " + ResultRow.brief(digest) + ")";
            }
            rows.add(new ResultRow(target.name(), template, now, digest, verdict, true, null));
        });
        blockers(client, release, rows);
        release.exclude().forEach((template, reason) -> rows.add(new ResultRow(target.name(), template,
                current.get(template), current.get(template), "excluded", true, reason)));
        return rows;
    }

    /**
     * Adds to each row that still needs a promote what the target's gate would refuse it with now (soak
     * remaining, approvals missing, frozen until …): the first refusal of {@code GET …/promotability} and how
     * many more. The release is asked about as publish would promote it; one the target has not registered
     * yet is asked about pin by pin. Read-only, and never a reason for the plan itself to fail.
     */
    private void blockers(LockstepClient client, ReleaseFile release, List<ResultRow> rows) {
        if (rows.stream().noneMatch(PlanCommand::needsPromote)) {
            return;
        }
        String where = region == null ? "" : "&region=" + LockstepClient.encode(region);
        ApiResponse whole = client.get(client.environmentPath("/promotability?release=" + LockstepClient.encode(release.id())
                + where));
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            if (!needsPromote(r)) {
                continue;
            }
            ApiResponse answer = whole.ok() || !"UNKNOWN_RELEASE".equals(whole.code()) ? whole
                    : client.get(client.environmentPath("/promotability?template=" + LockstepClient.encode(r.template())
                    + "&digest=" + LockstepClient.encode(r.to()) + where));
            String detail = !answer.ok() ? "blockers unknown: " + answer.describe()
                    : PromotabilityJson.read(answer.json()).blocker();
            if (detail != null) {
                rows.set(i, new ResultRow(r.target(), r.template(), r.from(), r.to(), r.status(), r.ok(),
                        detail.startsWith("blockers unknown") ? detail : "blocked: " + detail));
            }
        }
    }

    private static boolean needsPromote(ResultRow r) {
        return r.status().startsWith(PROMOTE_REQUIRED) || r.status().equals(MISSING_ROW);
    }

    private static List<ResultRow> unreadable(Target target, ReleaseFile release, String detail) {
        List<ResultRow> rows = new ArrayList<>();
        release.images().forEach((template, digest) -> rows.add(new ResultRow(target.name(), template, null, digest,
                "UNREADABLE", false, detail)));
        return rows;
    }

    private static String summary(List<Target> targets, List<ResultRow> rows, ReleaseFile release) {
        if (rows.stream().anyMatch(r -> !r.ok())) {
            Set<String> bad = new LinkedHashSet<>();
            rows.stream().filter(r -> !r.ok()).forEach(r -> bad.add(r.target()));
            return "plan " + release.id() + ": FAILED, cannot read " + String.join(", ", bad) + "; no plan is shown as valid.";
        }
        Set<String> need = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (r.status().startsWith(PROMOTE_REQUIRED) || r.status().equals(MISSING_ROW)) {
                need.add(r.target());
            }
        }
        return "plan " + release.id() + ": " + (need.isEmpty()
                ? "no promote required; every target is at the release"
                : "promote required on " + String.join(", ", need));
    }
}
