package io.lockstep.service.dashboard;

import io.lockstep.domain.Pin;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftStatus;
import io.lockstep.service.PinSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@link MatrixView} from one drift report and the pin snapshot it was computed from: one pass over the
 * findings (O(pins)), map lookups for the pins' notes, no store query per cell, so 50 environments × 200
 * templates stays a few milliseconds.
 */
public final class MatrixViews {
    /** What the banner is for: something is broken now, not merely waiting. */
    public static final Set<DriftStatus> ALERTING = EnumSet.of(DriftStatus.MISSING, DriftStatus.IMAGE_GONE,
            DriftStatus.STUCK, DriftStatus.SPLIT);
    private static final List<String> STATUSES = Arrays.stream(DriftStatus.values()).map(DriftStatus::wire).toList();

    private MatrixViews() {
    }

    /**
     * @param visible the environments the caller may see, in configuration order; findings of others are ignored
     */
    public static MatrixView build(DriftReport report, PinSnapshot snapshot, List<String> visible,
                                   MatrixView.Filter filter) {
        Set<String> visibleSet = Set.copyOf(visible);
        // template -> environment -> the worst finding of its regions, and how many regions
        Map<String, Map<String, Worst>> byTemplate = new HashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        List<MatrixView.Alert> alerts = new ArrayList<>();
        for (DriftFinding f : report.findings()) {
            if (!visibleSet.contains(f.environment())) {
                continue;
            }
            groupOf.putIfAbsent(f.template(), f.group());
            Worst w = byTemplate.computeIfAbsent(f.template(), t -> new HashMap<>()).get(f.environment());
            if (w == null) {
                byTemplate.get(f.template()).put(f.environment(), new Worst(f));
            } else {
                w.add(f);
            }
            DriftStatus alert = alertOf(f);
            if (alert != null) {
                alerts.add(new MatrixView.Alert(f.environment(), f.template(), alert.name(), f.explanation()));
            }
        }
        List<String> columns = filter.environment() == null ? visible
                : visible.stream().filter(filter.environment()::equals).toList();
        DriftStatus wanted = filter.status() == null ? null : DriftStatus.fromWire(filter.status());
        String text = filter.text() == null ? null : filter.text().toLowerCase(Locale.ROOT);

        Map<String, List<MatrixView.Row>> groups = new TreeMap<>();
        TreeSet<String> groupChoices = new TreeSet<>();
        int shown = 0;
        List<String> templates = new ArrayList<>(byTemplate.keySet());
        templates.sort(null);
        for (String template : templates) {
            String group = groupOf.get(template);
            groupChoices.add(group);
            if (filter.group() != null && !filter.group().equals(group)) {
                continue;
            }
            if (text != null && !template.contains(text) && !group.contains(text)) {
                continue;
            }
            Map<String, Worst> cellsByEnv = byTemplate.get(template);
            List<MatrixView.Cell> cells = new ArrayList<>(columns.size());
            boolean statusMatches = wanted == null;
            for (String env : columns) {
                Worst w = cellsByEnv.get(env);
                if (w == null) {
                    cells.add(new MatrixView.Cell(env, template, "none", "NOT EXPECTED", null, null, null,
                            template + " is not expected in " + env + ".", null, 0, false));
                    continue;
                }
                statusMatches |= w.finding.status() == wanted;
                cells.add(cell(w, snapshot));
            }
            if (!statusMatches || cells.stream().noneMatch(MatrixView.Cell::expected)) {
                continue;
            }
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(new MatrixView.Row(template, cells));
            shown++;
        }
        List<MatrixView.Group> out = new ArrayList<>(groups.size());
        groups.forEach((name, rows) -> out.add(new MatrixView.Group(name, rows, summary(rows))));
        return new MatrixView(columns, out, alerts, filter, visible, List.copyOf(groupChoices), STATUSES, shown,
                templates.size(), report.computedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static String summary(List<MatrixView.Row> rows) {
        int[] counts = new int[DriftStatus.values().length];
        for (MatrixView.Row row : rows) {
            for (MatrixView.Cell c : row.cells()) {
                if (c.expected()) {
                    counts[DriftStatus.valueOf(c.label()).ordinal()]++;
                }
            }
        }
        StringBuilder b = new StringBuilder();
        for (DriftStatus s : DriftStatus.values()) {
            if (counts[s.ordinal()] > 0) {
                b.append(b.isEmpty() ? "" : " · ").append(counts[s.ordinal()]).append(' ').append(s.name());
            }
        }
        return b.toString();
    }

    private static DriftStatus alertOf(DriftFinding f) {
        if (ALERTING.contains(f.status())) {
            return f.status();
        }
        for (DriftStatus s : DriftStatus.values()) { // a flag, in precedence order
            if (ALERTING.contains(s) && f.flags().contains(s)) {
                return s;
            }
        }
        return null;
    }

    private static MatrixView.Cell cell(Worst w, PinSnapshot snapshot) {
        DriftFinding f = w.finding;
        Pin pin = f.pinnedDigest() == null ? null : snapshot.pin(f.key());
        String explanation = w.regions > 1
                ? f.explanation() + " (worst of " + w.regions + " regions)" : f.explanation();
        return new MatrixView.Cell(f.environment(), f.template(), f.status().wire(), f.status().name(),
                f.currentRuntimeVersion(), shortDigest(f.pinnedDigest()), age(f.age()), explanation,
                pin == null ? null : pin.notes(), w.regions, alertOf(f) != null);
    }

    /** The first 12 hex digits of a {@code sha256:} digest, as container tools show an image id. */
    public static String shortDigest(String digest) {
        if (digest == null) {
            return null;
        }
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** 3d, 5h, 12m, 40s: the largest unit, for a glance. */
    public static String age(Duration d) {
        if (d == null) {
            return null;
        }
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d";
        }
        if (s >= 3600) {
            return s / 3600 + "h";
        }
        return s >= 60 ? s / 60 + "m" : s + "s";
    }

    /** The worst (by status precedence) of a cell's regions. */
    private static final class Worst {
        DriftFinding finding;
        int regions = 1;

        Worst(DriftFinding f) {
            this.finding = f;
        }

        void add(DriftFinding f) {
            regions++;
            if (f.status().ordinal() < finding.status().ordinal()) {
                finding = f;
            }
        }
    }
}
