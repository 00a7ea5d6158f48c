package io.lockstep.service.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the Matrix page shows: the visible environments as columns, templates as rows grouped by their lock-step
 * group, one {@link Cell} per (environment, template), and the alerts the banner lists. Built by
 * {@link MatrixViews#build} in one pass over the drift report; no HTML here.
 *
 * @param environments the columns, in configuration order (after the environment filter)
 * @param groups       the row groups, by name; a template in no group is its own group
 * @param alerts       every visible cell whose status (or a flag) is STUCK, SPLIT, MISSING or IMAGE_GONE, filters aside
 * @param groupChoices every group visible to the caller, for the group filter
 * @param statusChoices every drift status on the wire, for the status filter
 * @param rows         rows shown after the filters
 * @param totalRows    rows before the filters
 */
public record MatrixView(List<String> environments, List<Group> groups, List<Alert> alerts, Filter filter,
                         List<String> environmentChoices, List<String> groupChoices, List<String> statusChoices,
                         int rows, int totalRows, Instant computedAt) {

    /** The filters of the page's GET form; null (or empty) means "any". */
    public record Filter(String environment, String group, String status, String text) {
        public static final Filter NONE = new Filter(null, null, null, null);

        public boolean any() {
            return environment != null || group != null || status != null || text != null;
        }
    }

    /**
     * One lock-step group's rows. {@code summary} counts the shown cells per status, most urgent first
     * ("1 CURRENT · 8 STUCK"), so a split group reads as one at the group's header.
     */
    public record Group(String name, List<Row> rows, String summary) {
    }

    /** One template's cells, aligned with {@link MatrixView#environments}. */
    public record Row(String template, List<Cell> cells) {
    }

    /**
     * One (environment, template). {@code status} is the wire name ({@code stuck}) or {@code none} when the
     * template is not expected there; {@code label} the upper-case name shown as text; {@code regions} how many
     * regions the cell sums up (the worst status of them is shown).
     */
    public record Cell(String environment, String template, String status, String label, String runtimeVersion,
                       String shortDigest, String age, String explanation, String notes, int regions,
                       boolean alerting) {
        public boolean expected() {
            return !"none".equals(status);
        }

        /** The pin page of this cell. */
        public String pinPath() {
            return "/pins/" + environment + "/" + template;
        }
    }

    public record Alert(String environment, String template, String label, String explanation) {
        public String pinPath() {
            return "/pins/" + environment + "/" + template;
        }
    }
}
