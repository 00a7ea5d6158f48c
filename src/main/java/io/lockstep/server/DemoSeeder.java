package io.lockstep.server;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.InstanceReport;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Template;
import io.lockstep.service.PromotionRequest;
import io.lockstep.service.ReleasePromotionRequest;
import io.lockstep.service.ApprovalService;
import io.lockstep.service.ReleaseService;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Seeds the demo with the seed incident: runtime v0.3.40 promoted everywhere, v0.3.43 built and
 * registered, but only {@code claude-code} promoted to it; {@code platform-agent} and the others are
 * left behind, exactly as the publish pipeline left them.
 */
public final class DemoSeeder {
    public static final String GROUP = "runtime";
    private final LockstepServer server;
    private final AdjustableClock clock;

    public DemoSeeder(LockstepServer server, AdjustableClock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** A stable fake digest for a template at a runtime version. */
    public static String digest(String template, String version) {
        return "sha256:" + HistoryChain.sha256(template + "@" + version);
    }

    public static String gitSha(String version) {
        return HistoryChain.sha256("commit " + version).substring(0, 40);
    }

    private io.lockstep.domain.Environment environment(String name) {
        return server.environments().require(name);
    }

    public void seed() {
        Instant frozenBefore = clock.frozenAt(); // a test's fixed "now"; null in the demo, whose clock runs
        Instant now = outsideFreezes(clock.instant());
        List<Template> members = server.templates().list().stream().filter(t -> t.inGroup(GROUP)).toList();
        ReleaseService releases = server.releases();
        String old = "v0.3.40";
        String fix = "v0.3.43";

        clock.freezeAt(now.minus(Duration.ofDays(8)));
        releases.register(GROUP, old, gitSha(old), images(members, old), Map.of(), Registrants.of("ci-publish", null));
        clock.freezeAt(now.minus(Duration.ofDays(8)).plus(Duration.ofMinutes(20)));
        server.pins().promoteRelease(new ReleasePromotionRequest(environment("staging"), GROUP + "@" + old,
                null, "runtime " + old,
                Map.of("ci_run", "publish-image#4211", "workflow", "publish-image.yml", "commit", gitSha(old))), "ci-publish");
        clock.freezeAt(now.minus(Duration.ofDays(8)).plus(Duration.ofHours(2)));
        approve(new ApprovalService.Subject(GROUP + "@" + old, null, null, null));
        server.pins().promoteRelease(new ReleasePromotionRequest(environment("prod"), GROUP + "@" + old,
                null, "runtime " + old,
                Map.of("ci_run", "publish-image#4211", "workflow", "publish-image.yml", "commit", gitSha(old))), "ci-publish");

        // The fix is built and pushed for every template ...
        clock.freezeAt(now.minus(Duration.ofDays(5)));
        releases.register(GROUP, fix, gitSha(fix), images(members, fix), Map.of(), Registrants.of("ci-publish", null));
        // ... but the pipeline's promote-pin job only ever promoted claude-code.
        for (String env : List.of("staging", "prod")) {
            // prod's requires: an hour in staging first
            clock.freezeAt(now.minus(Duration.ofDays(5)).plus(env.equals("prod") ? Duration.ofHours(2) : Duration.ofMinutes(5)));
            if (env.equals("prod")) {
                approve(new ApprovalService.Subject(null, "claude-code", digest("claude-code", fix), null));
            }
            server.pins().promote(new PromotionRequest(environment(env), "claude-code", null, digest("claude-code", fix),
                    gitSha(fix), fix, "auto-promote from publish-image.yml",
                    null, Map.of("ci_run", "publish-image#4388", "workflow", "publish-image.yml", "commit", gitSha(fix))),
                    "ci-publish");
        }
        clock.freezeAt(frozenBefore);
        reportFleet(fix);
        // Live instances report every minute; without this the demo fleet would expire after the TTL.
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lockstep-demo-fleet");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                reportFleet(fix);
            } catch (RuntimeException e) {
                heartbeat.shutdown(); // the server is gone
            }
        }, 1, 1, TimeUnit.MINUTES);
    }

    /** prod's approvals: the history the demo starts with passed the same gate a newcomer meets. */
    private void approve(ApprovalService.Subject subject) {
        if (environment("prod").approvals() == null) {
            return; // a configuration without approvals (tests seed the demo data into their own)
        }
        server.approvals().approve("prod", subject, "release manager's sign-off", "release-manager", List.of("approve"));
    }

    /**
     * {@code now}, or earlier, so that none of the seeded prod promotes (8 days ago + 2 h, 5 days ago + 2 h)
     * falls in one of prod's freeze windows: the seeded history passed prod's gate, as any promote must.
     */
    private Instant outsideFreezes(Instant now) {
        Instant anchor = now;
        for (int i = 0; i < 7 * 24; i++) {
            Instant a = anchor;
            boolean frozen = environment("prod").freezeWindows().stream().anyMatch(w ->
                    w.activeAt(a.minus(Duration.ofDays(8)).plus(Duration.ofHours(2))).isPresent()
                            || w.activeAt(a.minus(Duration.ofDays(5)).plus(Duration.ofHours(2))).isPresent());
            if (!frozen) {
                return anchor;
            }
            anchor = anchor.minus(Duration.ofHours(1));
        }
        return anchor;
    }

    /**
     * The running fleet as the incident left it, reported through the same service as
     * {@code POST /api/v1/fleet/reports}: the workspaces picked up claude-code v0.3.43, while every
     * concierge still runs the pre-fix platform-agent image the stale pin hands out.
     */
    private void reportFleet(String fix) {
        Instant now = clock.instant();
        List<InstanceReport> reports = new ArrayList<>();
        for (String env : List.of("staging", "prod")) {
            int concierges = env.equals("prod") ? 40 : 6;
            for (int i = 1; i <= concierges; i++) {
                reports.add(new InstanceReport(env + "-concierge-" + i, env, "platform-agent", "global",
                        digest("platform-agent", "v0.3.40"), now.minusSeconds(i % 50)));
            }
            int workspaces = env.equals("prod") ? 25 : 5;
            for (int i = 1; i <= workspaces; i++) {
                reports.add(new InstanceReport(env + "-workspace-" + i, env, "claude-code", "global",
                        digest("claude-code", fix), now.minusSeconds(i % 50)));
            }
        }
        server.fleet().ingest(reports);
    }

    private static Map<String, String> images(List<Template> members, String version) {
        Map<String, String> images = new LinkedHashMap<>();
        members.forEach(t -> images.put(t.name(), digest(t.name(), version)));
        return images;
    }
}
