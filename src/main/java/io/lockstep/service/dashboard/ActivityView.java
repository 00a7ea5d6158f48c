package io.lockstep.service.dashboard;

import java.util.List;

/**
 * What the Activity page shows: one page of the event stream, newest first, within the caller's environments and
 * the page's filters. Built by {@link ActivityViews#build}; no HTML here.
 *
 * @param olderPath the link to the next older page ({@code ?before=} the last id shown, filters kept), null at the end
 * @param newestPath the link back to the newest page, null when this is it
 */
public record ActivityView(List<Row> rows, Filter filter, List<String> typeChoices, List<String> environmentChoices,
                           List<String> groupChoices, String olderPath, String newestPath) {

    /** The filters of the page's GET form; null means "any". {@code before}: the page's cursor (null: newest). */
    public record Filter(String type, String environment, String group, Long before) {
        public static final Filter NONE = new Filter(null, null, null, null);
    }

    /** One event: when, what, about what, who, and a one-line summary (plain text; the template escapes it). */
    public record Row(long id, String at, String type, String environment, String template, String region,
                      String group, String actor, String summary) {
        /** "prod / hermes / eu-west", the parts the event names. */
        public String subject() {
            StringBuilder b = new StringBuilder();
            for (String part : new String[]{environment, template, region}) {
                if (part != null) {
                    b.append(b.isEmpty() ? "" : " / ").append(part);
                }
            }
            return b.isEmpty() ? (group == null ? "—" : "group " + group) : b.toString();
        }
    }
}
