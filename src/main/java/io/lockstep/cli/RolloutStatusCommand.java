package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.cli.client.RetryOptions;
import io.lockstep.cli.client.Target;
import io.lockstep.cli.client.TargetOptions;
import io.lockstep.domain.Convergence;
import io.lockstep.domain.Digest;
import io.lockstep.domain.ExpectedInstances;
import io.lockstep.domain.Names;
import io.lockstep.wire.ConvergenceJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * {@code lockstep rollout status}: how many running instances run the pinned digest. With
 * {@code --wait}, a pipeline step after a redeploy: polls until every pin reaches
 * {@code --min-converged} (exit 0) or {@code --timeout} passes (exit 1, naming the laggards).
 * A pin with no live instance counts as converged (nothing left to replace) unless instances are
 * expected of it ({@code missing_instances}: configured, or "had N, now fewer"); missing instances
 * count as not converged, and make even a plain status exit 1. {@code --wait} never passes while no
 * selected pin has any live instance.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show fleet convergence per pin; with --wait, wait until it reaches --min-converged.")
public final class RolloutStatusCommand extends ClientCommand {
    @Option(names = "--template", paramLabel = "TEMPLATE", description = "Only this template.")
    String template;

    @Option(names = "--wait", description = "Poll until every pin reaches --min-converged, or fail at --timeout.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = RetryOptions.DurationConverter.class,
            description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = RetryOptions.DurationConverter.class,
            description = "Time between polls with --wait (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--min-converged", paramLabel = "PERCENT", defaultValue = "100%",
            description = "Share of instances (live and missing) that must run the pinned digest, e.g. 100%% or 95.5%% (default ${DEFAULT-VALUE}).")
    String minConverged;

    /** One poll of one target. */
    record Poll(Target target, List<Convergence> rows, String error) {
    }

    @Override
    public Integer call() throws InterruptedException {
        TargetOptions.Resolution res = targetOptions.resolve(env);
        List<String> problems = new ArrayList<>(res.problems());
        if (template != null && !Names.isValid(template)) {
            problems.add("--template must be a template name; got " + Names.quoteForError(template) + ".");
        }
        double threshold = parsePercent(minConverged, problems);
        if (interval.isZero() || timeout.isZero()) {
            problems.add("--interval and --timeout must be longer than zero.");
        }
        if (!problems.isEmpty()) {
            return refuse(problems);
        }
        // --timeout bounds the whole command with --wait, every request included (see client()).
        deadline = wait ? Instant.now().plus(timeout) : null;
        java.util.Map<Target, Poll> lastRead = new java.util.HashMap<>();
        while (true) {
            Instant pollStart = Instant.now();
            List<Poll> polls = Fanout.each(res.targets(), this::poll, (t, e) -> new Poll(t, List.of(), "unexpected failure: " + e));
            for (Poll p : polls) {
                if (p.error() == null) {
                    lastRead.put(p.target(), p);
                }
            }
            // Another poll only when it can expect to finish before the deadline, so the last answer shown is a whole one.
            Duration pollTook = Duration.between(pollStart, Instant.now());
            // A poll the deadline cut off (or that failed) is judged and shown by the target's last whole read; its
            // error is still reported and still keeps the command from passing.
            List<Poll> known = polls.stream().map(p -> p.error() != null && lastRead.containsKey(p.target())
                    ? lastRead.get(p.target()) : p).toList();
            List<String> lagging = lagging(known, threshold);
            boolean unreadable = polls.stream().anyMatch(p -> p.error() != null);
            // Waiting on a fleet that reports nothing must not pass: after a redeploy, silence is not success.
            boolean silent = known.stream().allMatch(p -> p.rows().stream().allMatch(c -> c.instances() == 0));
            if (silent && wait) {
                lagging.add("no live instance has reported for the selected pins");
            }
            boolean done = lagging.isEmpty() && !unreadable;
            List<String> missing = missing(known);
            if (!wait || done || !Instant.now().plus(interval).plus(pollTook).isBefore(deadline)) {
                int exit = !wait ? (unreadable || !missing.isEmpty() ? ExitCodes.FAILED : ExitCodes.OK)
                        : done ? ExitCodes.OK : ExitCodes.FAILED;
                if (json) {
                    printJson(polls, lagging, exit);
                } else {
                    print(known);
                }
                for (Poll p : polls) {
                    if (p.error() != null) {
                        err.println("lockstep: " + p.target().name() + ": cannot read convergence: " + Printable.text(p.error()));
                    }
                }
                if (!wait) {
                    for (String m : missing) {
                        err.println(Printable.text("lockstep: " + m));
                    }
                }
                if (wait && done && !json) {
                    out.println("Converged: every pin is at or above " + minConverged + ".");
                    out.flush();
                } else if (wait && !done) {
                    err.println(Printable.text("lockstep: not converged to " + minConverged + " within " + human(timeout)
                            + ": " + String.join("; ", lagging)));
                }
                err.flush();
                return exit;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private void printJson(List<Poll> polls, List<String> lagging, int exit) {
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Poll p : polls) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("target", p.target().name());
            t.put("error", p.error());
            t.put("pins", ConvergenceJson.write(p.rows(), Instant.now(), Duration.ZERO).get("pins"));
            targets.add(t);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("targets", targets);
        doc.put("wait", wait);
        doc.put("min_converged", minConverged);
        doc.put("lagging", wait ? lagging : List.of());
        doc.put("exit_code", exit);
        try {
            out.println(Printable.json(true).writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private Poll poll(Target t) {
        LockstepClient c = client(t);
        ApiResponse envs = c.get("/api/v1/environments");
        if (!envs.ok()) {
            return new Poll(t, List.of(), envs.describe());
        }
        List<Convergence> rows = new ArrayList<>();
        for (String env : TargetScope.environments(t, envs.json().path("environments"))) {
            String path = "/api/v1/fleet/convergence?environment=" + LockstepClient.encode(env)
                    + (template == null ? "" : "&template=" + LockstepClient.encode(template));
            ApiResponse r = c.get(path);
            if (!r.ok()) {
                return new Poll(t, List.of(), r.describe());
            }
            rows.addAll(ConvergenceJson.read(r.json()));
        }
        return new Poll(t, rows, null);
    }

    private static List<String> lagging(List<Poll> polls, double threshold) {
        List<String> out = new ArrayList<>();
        for (Poll p : polls) {
            for (Convergence c : p.rows()) {
                if (!c.convergedAt(threshold)) {
                    out.add(p.target().name() + " " + c.environment() + "/" + c.template() + "/" + c.region() + " at "
                            + percent(c.ratio()) + " (" + c.staleInstances() + " stale"
                            + (c.missingInstances() > 0 ? ", " + missingPart(c) : "") + ")");
                }
            }
        }
        return out;
    }

    /** One line per pin with missing instances: the loud signal of a fleet that vanished. */
    private static List<String> missing(List<Poll> polls) {
        List<String> out = new ArrayList<>();
        for (Poll p : polls) {
            for (Convergence c : p.rows()) {
                if (c.missingInstances() > 0) {
                    out.add(p.target().name() + ": environment " + c.environment() + ", template " + c.template()
                            + ", region " + c.region() + ": " + missingPart(c));
                }
            }
        }
        return out;
    }

    private static String missingPart(Convergence c) {
        String from = c.expected().from() == ExpectedInstances.Source.CONFIG ? "expected by fleet.expected_instances"
                : c.expected().from() == ExpectedInstances.Source.HISTORY ? "seen running recently" : "expected";
        return c.missingInstances() + " missing instance" + (c.missingInstances() == 1 ? "" : "s") + " (" + from + ": "
                + c.expected().instances() + ", live now: " + c.instances() + ")";
    }

    private void print(List<Poll> polls) {
        Table t = new Table("TARGET", "ENVIRONMENT", "TEMPLATE", "REGION", "PINNED", "PROMOTED AT", "INSTANCES",
                "CONVERGED", "RATIO", "MISSING", "STALE");
        for (Poll p : polls) {
            for (Convergence c : p.rows()) {
                List<String> stale = new ArrayList<>();
                for (Convergence.StaleDigest s : c.stale()) {
                    stale.add(Digest.shortForm(s.digest()) + " x" + s.instances() + " " + s.sampleInstanceIds());
                }
                t.row(p.target().name(), c.environment(), c.template(), c.region(),
                        c.pinnedDigest() == null ? "(no pin)" : Digest.shortForm(c.pinnedDigest()),
                        c.lastPromotedAt() == null ? "-" : c.lastPromotedAt().toString(),
                        Long.toString(c.instances()), Long.toString(c.converged()),
                        c.ratio() == null ? "-" : percent(c.ratio()), Long.toString(c.missingInstances()), stale.isEmpty() ? "-" : String.join("; ", stale));
            }
        }
        t.print(out);
    }

    static String percent(double ratio) {
        double pct = ratio * 100;
        return (pct == Math.rint(pct) ? Long.toString((long) pct) : String.format(Locale.ROOT, "%.1f", pct)) + "%";
    }

    static double parsePercent(String value, List<String> problems) {
        String v = value == null ? "" : value.trim();
        try {
            double pct = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
            if (pct < 0 || pct > 100 || Double.isNaN(pct)) {
                throw new NumberFormatException();
            }
            return pct / 100;
        } catch (NumberFormatException e) {
            problems.add("--min-converged must be a percentage from 0% to 100%; got " + Names.quoteForError(v) + ".");
            return 1;
        }
    }
}
