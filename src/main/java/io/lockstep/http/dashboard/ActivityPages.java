package io.lockstep.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Event;
import io.lockstep.domain.EventFilter;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.service.Environments;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.dashboard.ActivityView;
import io.lockstep.service.dashboard.ActivityViews;
import io.lockstep.service.dashboard.DashboardSessions;
import io.lockstep.service.events.EventFeed;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /activity}: the event stream newest first, {@link #PAGE} a page, filters {@code type},
 * {@code environment}, {@code group}, older pages by {@code before} (an event id: the events below it). The same
 * {@link EventFilter} as {@code GET /api/v1/events}, so the token's environment limits apply alike. The newest page
 * refreshes live (live.js); an older page asked for by {@code before} stays put.
 */
public final class ActivityPages {
    static final int PAGE = 50;

    private final DashboardRoutes dashboard;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final EventFeed feed;

    public ActivityPages(DashboardRoutes dashboard, Environments environments, SnapshotHolder snapshot, EventFeed feed) {
        this.dashboard = dashboard;
        this.environments = environments;
        this.snapshot = snapshot;
        this.feed = feed;
    }

    public void register(RoutesConfig r) {
        r.get("/activity", dashboard.page(this::activity));
    }

    private void activity(Context ctx) {
        DashboardSessions.Current session = dashboard.access().page(ctx, Scope.READ);
        ApiToken caller = session.caller();
        List<String> visible = caller.readable(environments.all().stream().map(Environment::name).toList());
        String type = ctx.queryParam("type");
        if (type == null || type.isBlank()) {
            type = null;
        } else if (!Event.isKnownType(type)) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "type " + Names.quoteForError(type)
                    + " is not an event type; known: " + String.join(", ", Event.TYPES) + ".");
        }
        String environment = RolloutPages.environmentFilter(ctx, caller, environments);
        String group = RolloutPages.nameFilter(ctx, "group");
        Long before = before(ctx);
        ActivityView.Filter filter = new ActivityView.Filter(type, environment, group, before);
        EventFeed.Backward page = feed.newestFirst(before, PAGE, new EventFilter(
                type == null ? Set.of() : Set.of(type), environment, group, caller.environments()));
        TreeSet<String> groups = new TreeSet<>();
        for (Template t : snapshot.get().templates()) {
            groups.add(Objects.requireNonNullElse(t.group(), t.name()));
        }
        ActivityView view = ActivityViews.build(page.events(), page.older(), filter, visible, List.copyOf(groups));
        if (DashboardRoutes.wantsFragment(ctx)) {
            dashboard.renderPage(ctx, 200, "activityMain.jte", Map.of("view", view));
        } else {
            dashboard.renderPage(ctx, 200, "activity.jte", Map.of("chrome", dashboard.frame(session, "Activity", "activity"),
                    "view", view));
        }
    }

    private static Long before(Context ctx) {
        String raw = ctx.queryParam("before");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new LockstepException(Problem.INVALID_PARAMETER, "before must be an event id (1 or more), as the"
                + " page's \"Older\" link sends it.");
    }
}
