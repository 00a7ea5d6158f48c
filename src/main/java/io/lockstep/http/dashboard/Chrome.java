package io.lockstep.http.dashboard;

/**
 * What every signed-in page's frame shows: the page's title and nav entry, who is signed in, the session's CSRF
 * value for the sign-out form, where the assets are, and the event types {@code live.js} listens for.
 */
public record Chrome(String title, String nav, String identity, String csrf, String assetVersion, String eventTypes) {

    /** {@code "page"} for the current nav entry (its {@code aria-current}), null (no attribute) otherwise. */
    public String current(String entry) {
        return entry.equals(nav) ? "page" : null;
    }

    public String asset(String file) {
        return DashboardAssets.path(assetVersion, file);
    }
}
