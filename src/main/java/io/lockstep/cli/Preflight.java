package io.lockstep.cli;

import io.lockstep.cli.client.ResultRow;
import io.lockstep.cli.client.Target;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Names;

import java.util.ArrayList;
import java.util.List;

/** Local checks shared by the commands, one line per problem, and the per-target summary line. */
final class Preflight {
    private Preflight() {
    }

    static List<String> pinOptions(String template, String region, String notes) {
        List<String> problems = new ArrayList<>();
        if (template != null && !Names.isValid(template)) {
            problems.add("--template " + Names.quoteForError(template) + " is not a valid template name.");
        }
        if (region != null && !Names.isValid(region)) {
            problems.add("--region " + Names.quoteForError(region) + " is not a valid name.");
        }
        if (notes != null && notes.length() > Names.MAX_NOTES) {
            problems.add("--notes must be at most " + Names.MAX_NOTES + " characters.");
        }
        return problems;
    }

    static void digest(String option, String value, List<String> problems) {
        if (value == null || value.isEmpty()) {
            problems.add(option + " is empty; give sha256:<64 lower-case hex>.");
        } else if (!Digest.isValid(value)) {
            problems.add(option + " must be sha256: followed by 64 lower-case hex characters; got " + Names.quoteForError(value) + ".");
        }
    }

    /** {@code <what>: FAILED on prod (1 failed); OUTCOME UNKNOWN on dev (1 unknown); succeeded on staging}. */
    static List<String> summary(String what, List<Target> targets, List<ResultRow> rows) {
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Target t : targets) {
            long bad = rows.stream().filter(r -> r.target().equals(t.name()) && !r.ok() && !r.outcomeUnknown()).count();
            long open = rows.stream().filter(r -> r.target().equals(t.name()) && r.outcomeUnknown()).count();
            if (bad > 0) {
                failed.add(t.name() + " (" + bad + " failed)");
            }
            if (open > 0) {
                unknown.add(t.name() + " (" + open + " unknown)");
            }
            if (bad == 0 && open == 0) {
                ok.add(t.name());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!failed.isEmpty()) {
            parts.add("FAILED on " + String.join(", ", failed));
        }
        if (!unknown.isEmpty()) {
            parts.add("OUTCOME UNKNOWN on " + String.join(", ", unknown) + ": check the pins before retrying");
        }
        if (!ok.isEmpty()) {
            parts.add("succeeded on " + String.join(", ", ok));
        }
        return List.of(what + ": " + String.join("; ", parts));
    }
}
