package io.lockstep.server;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.InstanceReport;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Template;
import io.lockstep.service.PromoteCommand;
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

    public void seed() {
        Instant now = Instant.now();
        List<Template> members = server.services().templates().list().stream().filter(t -> t.inGroup(GROUP)).toList();
        ReleaseService releases = server.services().releases();
        String old = "v0.3.40";
        String fix = "v0.3.43";

        clock.freezeAt(now.minus(Duration.ofDays(8)));
        releases.register(GROUP, old, gitSha(old), images(members, old), Map.of(), Registrants.of("ci-publish", null));
        clock.freezeAt(now.minus(Duration.ofDays(8)).plus(Duration.ofMinutes(20)));
        server.services().pins().promoteRelease("staging", GROUP + "@" + old, null, "runtime " + old,
                Map.of("ci_run", "publish-image#4211", "workflow", "publish-image.yml", "commit", gitSha(old)), "ci-publish");
        clock.freezeAt(now.minus(Duration.ofDays(8)).plus(Duration.ofHours(2)));
        server.services().pins().promoteRelease("prod", GROUP + "@" + old, null, "runtime " + old,
                Map.of("ci_run", "publish-image#4211", "workflow", "publish-image.yml", "commit", gitSha(old)), "ci-publish");

        // The fix is built and pushed for every template ...
        clock.freezeAt(now.minus(Duration.ofDays(5)));
        releases.register(GROUP, fix, gitSha(fix), images(members, fix), Map.of(), Registrants.of("ci-publish", null));
        // ... but the pipeline's promote-pin job only ever promoted claude-code.
        for (String env : List.of("staging", "prod")) {
            clock.freezeAt(now.minus(Duration.ofDays(5)).plus(Duration.ofMinutes(env.equals("prod") ? 15 : 5)));
            server.services().pins().promote(new PromoteCommand(env, "claude-code", null, digest("claude-code", fix),
                    gitSha(fix), fix, "auto-promote from publish-image.yml",
                    null, Map.of("ci_run", "publish-image#4388", "workflow", "publish-image.yml", "commit", gitSha(fix))),
                    "ci-publish");
        }
        clock.freezeAt(null);
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
