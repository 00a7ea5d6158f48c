package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.cli.client.RetryOptions;
import io.lockstep.cli.client.Target;
import io.lockstep.cli.client.TargetOptions;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.drift.CrossTargetDrift;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.domain.drift.PinDisagreement;
import io.lockstep.wire.DriftJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code lockstep drift}: every lagging pin of every target, and what only shows when targets are
 * read together (a downstream server ahead of its upstream server, same-named environments that
 * disagree). Exit 3 when a finding matches {@code --fail-on}, 1 when a target cannot be read
 * (an unread target is never reported as fine), 0 otherwise.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Show pins that are missing, behind, split or out of order, per target and across targets.")
public final class DriftCommand extends ClientCommand {
    /** Not a drift status: same-named environments on two targets pin different digests. */
    static final String DISAGREE = "disagree";

    /** Not a drift status: every status but current and in_flight, plus every cross-target finding. */
    static final String DEFAULT = "default";

    @Option(names = "--fail-on", paramLabel = "STATUS[,STATUS…]", split = ",",
            description = "Exit 3 when any finding has one of these statuses (as status or flag): a drift status"
                    + " (missing, stuck, split, behind_upstream, …), " + DISAGREE + " (targets disagree), or " + DEFAULT
                    + ": every status except current and in_flight, plus " + DISAGREE + " (the gate to use in CI).")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--grace-period", paramLabel = "DURATION", converter = RetryOptions.DurationConverter.class,
            description = "Across targets: how long an upstream may run a newer release before its downstream on"
                    + " another target is behind_upstream (default: the first target's drift.grace_period; 90s, 30m, 2h).")
    Duration gracePeriod;

    /** What was read from one target; {@code error} set when it could not be read. */
    record TargetDrift(Target target, DriftReport report, List<String> environments,
                       CrossTargetDrift.TargetView view, String error) {
    }

    @Override
    public Integer call() {
        TargetOptions.Resolution res = targetOptions.resolve(env);
        List<String> problems = new ArrayList<>(res.problems());
        Set<DriftStatus> statuses = EnumSet.noneOf(DriftStatus.class);
        boolean failOnDisagree = false;
        for (String word : failOn) {
            if (word.trim().equalsIgnoreCase(DISAGREE)) {
                failOnDisagree = true;
                continue;
            }
            if (word.trim().equalsIgnoreCase(DEFAULT)) {
                failOnDisagree = true;
                statuses.addAll(DriftStatus.failingByDefault());
                continue;
            }
            try {
                statuses.addAll(DriftStatus.parseList(word));
            } catch (LockstepException e) {
                String m = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1) : e.getMessage();
                problems.add("--fail-on: " + m + ", " + DISAGREE + " or " + DEFAULT + ".");
            }
        }
        if (!problems.isEmpty()) {
            return refuse(problems);
        }
        boolean several = res.targets().size() > 1;
        List<TargetDrift> read = Fanout.each(res.targets(), t -> read(t, several),
                (t, e) -> new TargetDrift(t, null, List.of(), null, "unexpected failure: " + e));

        CrossTargetDrift.Result across = several ? CrossTargetDrift.compare(read.stream()
                .filter(r -> r.error() == null).map(TargetDrift::view).toList(), gracePeriod) : null;
        List<String> matched = matches(read, across, statuses, failOnDisagree);
        if (json) {
            printJson(read, across, matched);
        } else {
            printText(read, across);
        }
        boolean unreadable = false;
        for (TargetDrift r : read) {
            if (r.error() != null) {
                err.println("lockstep: " + r.target().name() + ": cannot read drift: " + Printable.text(r.error()));
                unreadable = true;
            }
        }
        if (!matched.isEmpty()) {
            err.println(Printable.text("lockstep: drift matched --fail-on " + String.join(",", failOn) + ": " + String.join("; ", matched)));
        }
        err.flush();
        // An unreadable target outranks drift: its state is unknown, which is worse than known drift.
        return unreadable ? ExitCodes.FAILED : matched.isEmpty() ? ExitCodes.OK : ExitCodes.DRIFT;
    }

    private TargetDrift read(Target t, boolean withInput) {
        LockstepClient c = client(t);
        ApiResponse r = c.get("/api/v1/drift");
        if (!r.ok()) {
            return new TargetDrift(t, null, List.of(), null, r.describe());
        }
        List<String> shown = TargetScope.environments(t, r.json().path("environments"));
        DriftReport all = DriftJson.readReport(r.json());
        DriftReport report = new DriftReport(all.computedAt(), all.findings().stream()
                .filter(f -> shown.contains(f.environment())).toList());
        CrossTargetDrift.TargetView view = null;
        if (withInput) {
            ApiResponse in = c.get("/api/v1/drift/input");
            if (!in.ok()) {
                return new TargetDrift(t, null, List.of(), null, in.describe());
            }
            view = new CrossTargetDrift.TargetView(t.name(), DriftJson.readInput(in.json()), shown);
        }
        return new TargetDrift(t, report, shown, view, null);
    }

    private static List<String> matches(List<TargetDrift> read, CrossTargetDrift.Result across,
                                        Set<DriftStatus> statuses, boolean failOnDisagree) {
        List<String> out = new ArrayList<>();
        for (TargetDrift r : read) {
            if (r.report() != null) {
                r.report().matching(statuses).forEach(f -> out.add(r.target().name() + " " + label(f)));
            }
        }
        if (across != null) {
            across.upstreamFindings().stream().filter(f -> f.matches(statuses))
                    .forEach(f -> out.add("across targets " + f.environment() + "/" + f.template() + "/" + f.region() + " "
                            + (f.has(DriftStatus.BEHIND_UPSTREAM) ? DriftStatus.BEHIND_UPSTREAM
                            : f.has(DriftStatus.AHEAD_OF_UPSTREAM) ? DriftStatus.AHEAD_OF_UPSTREAM : f.status()).wire()));
            if (failOnDisagree) {
                across.disagreements().forEach(d -> out.add(d.peer() + "/" + d.template() + "/" + d.region() + " disagrees"));
            }
        }
        return out;
    }

    private static String label(DriftFinding f) {
        return f.environment() + "/" + f.template() + "/" + f.region() + " " + f.status().wire();
    }

    private void printText(List<TargetDrift> read, CrossTargetDrift.Result across) {
        Table t = new Table("TARGET", "ENVIRONMENT", "TEMPLATE", "REGION", "STATUS", "CURRENT", "NEWEST", "BEHIND", "AGE");
        List<String> explanations = new ArrayList<>();
        Map<DriftStatus, Integer> counts = new LinkedHashMap<>();
        for (TargetDrift r : read) {
            if (r.report() == null) {
                t.row(r.target().name(), "-", "-", "-", "UNREADABLE", "-", "-", "-", "-");
                continue;
            }
            for (DriftFinding f : r.report().findings()) {
                t.row(r.target().name(), f.environment(), f.template(), f.region(), statusCell(f),
                        orDash(f.currentRuntimeVersion()), orDash(f.newestRuntimeVersion()),
                        Integer.toString(f.releasesBehind()), age(f.age()));
                counts.merge(f.status(), 1, Integer::sum);
                if (f.status() != DriftStatus.CURRENT) {
                    explanations.add(r.target().name() + ": " + f.explanation());
                }
            }
        }
        t.print(out);
        List<String> summary = new ArrayList<>();
        counts.forEach((s, n) -> summary.add(n + " " + s.wire()));
        out.println();
        out.println(Printable.text("Summary: " + String.join(", ", summary)));
        explanations.forEach(e -> out.println("  " + Printable.text(e)));
        if (across != null) {
            out.println();
            out.println(Printable.text("Across targets (" + String.join(", ", across.ownerOf().entrySet().stream()
                    .map(e -> e.getKey() + " from " + e.getValue()).toList()) + "):"));
            if (across.upstreamFindings().isEmpty() && across.disagreements().isEmpty()) {
                out.println("  no disagreement and no environment ahead of or behind its upstream.");
            }
            for (DriftFinding f : across.upstreamFindings()) {
                String kind = f.has(DriftStatus.BEHIND_UPSTREAM) ? "BEHIND_UPSTREAM" : "AHEAD_OF_UPSTREAM";
                out.println(Printable.text("  " + kind + " " + f.environment() + "@" + across.ownerOf().get(f.environment())
                        + " " + f.template() + "/" + f.region() + ": " + f.explanation()));
            }
            for (PinDisagreement d : across.disagreements()) {
                out.println(Printable.text("  DISAGREE " + d.explanation()));
            }
        }
        out.flush();
    }

    private void printJson(List<TargetDrift> read, CrossTargetDrift.Result across, List<String> matched) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> targets = new ArrayList<>();
        for (TargetDrift r : read) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", r.target().name());
            m.put("url", r.target().url().toString());
            m.put("environments", r.environments());
            m.put("error", r.error());
            m.put("findings", r.report() == null ? List.of() : r.report().findings().stream().map(DriftJson::writeFinding).toList());
            targets.add(m);
        }
        doc.put("targets", targets);
        if (across != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("environment_sources", across.ownerOf());
            a.put("ahead_of_upstream", across.upstreamFindings().stream().filter(f -> f.has(DriftStatus.AHEAD_OF_UPSTREAM))
                    .map(DriftJson::writeFinding).toList());
            a.put("behind_upstream", across.upstreamFindings().stream().filter(f -> f.has(DriftStatus.BEHIND_UPSTREAM))
                    .map(DriftJson::writeFinding).toList());
            List<Map<String, Object>> ds = new ArrayList<>();
            for (PinDisagreement d : across.disagreements()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("environment", d.peer());
                m.put("template", d.template());
                m.put("region", d.region());
                m.put("digests", d.sortedDigests());
                m.put("missing_at", d.missingAt());
                m.put("explanation", d.explanation());
                ds.add(m);
            }
            a.put("disagreements", ds);
            doc.put("across_targets", a);
        }
        doc.put("fail_on_matches", matched);
        try {
            out.println(Printable.json(true).writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private static String statusCell(DriftFinding f) {
        String s = f.status().name();
        return f.flags().isEmpty() ? s : s + " (+" + String.join(",", f.flags().stream()
                .map(x -> x.name().toLowerCase(Locale.ROOT)).toList()) + ")";
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** 5d3h, 2h10m, 31m, 45s: the two largest units are all a human needs. */
    static String age(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s / 86_400 + "d" + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m" : s + "s";
    }
}
