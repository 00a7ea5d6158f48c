package io.lockstep.server;

import io.javalin.config.RoutesConfig;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.auth.OidcAuthenticator;
import io.lockstep.config.LockstepConfig;
import io.lockstep.config.WatchesSection;
import io.lockstep.service.drift.DriftMetrics;
import io.lockstep.service.drift.DriftService;
import io.lockstep.service.upstream.HttpUpstreamPins;
import io.lockstep.service.UpstreamPins;
import io.lockstep.service.UpstreamSources;
import io.lockstep.service.fleet.FleetService;
import io.lockstep.http.Access;
import io.lockstep.http.ApiServer;
import io.lockstep.http.DriftRoutes;
import io.lockstep.http.FleetRoutes;
import io.lockstep.http.RegistryHookRoutes;
import io.lockstep.http.ApprovalRoutes;
import io.lockstep.http.FenceRoutes;
import io.lockstep.http.PinRoutes;
import io.lockstep.http.ReleaseRoutes;
import io.lockstep.http.ResolveEndpoint;
import io.lockstep.http.SeedCompatRoutes;
import io.lockstep.http.TemplateRoutes;
import io.lockstep.metrics.Metrics;
import io.lockstep.oci.Registries;
import io.lockstep.service.ImageVerifier;
import io.lockstep.service.registry.AutoPromotion;
import io.lockstep.service.registry.Holds;
import io.lockstep.service.PolicyService;
import io.lockstep.http.PolicyRoutes;
import io.lockstep.config.PolicySection;
import io.lockstep.config.ConfigException;
import io.lockstep.service.registry.PinnedImageAudit;
import io.lockstep.service.registry.RegistryImageVerifier;
import io.lockstep.service.registry.RegistryJobs;
import io.lockstep.service.registry.RegistryServices;
import io.lockstep.service.registry.RegistrySignals;
import io.lockstep.service.registry.ReleaseDiscovery;
import io.lockstep.service.registry.SoloSightings;
import io.lockstep.service.registry.TagMirror;
import io.lockstep.service.registry.TemplateRegistries;
import io.lockstep.service.registry.Watcher;
import io.lockstep.service.Environments;
import io.lockstep.service.ApprovalMetrics;
import io.lockstep.service.ApprovalService;
import io.lockstep.service.FenceService;
import io.lockstep.service.PromotionObserver;
import io.lockstep.service.PinService;
import io.lockstep.service.ReleaseService;
import io.lockstep.service.ResolveService;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.TemplateService;
import io.lockstep.store.JdbiStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The composition root: config in, a running server out. Everything is wired here by hand so a
 * new engineer can read the whole object graph in one screen.
 */
public final class LockstepServer implements AutoCloseable {
    private final JdbiStore store;
    private final ApiServer api;
    private final Metrics metrics;
    private final ScheduledExecutorService background;
    private final LockstepConfig config;
    private final Environments environments;
    private final PinService pins;
    private final ReleaseService releases;
    private final TemplateService templates;
    private final DriftService drift;
    private final FleetService fleet;
    private final RegistryServices registry;
    private final RegistryHookRoutes hooks;
    private final ApprovalService approvals;
    private io.lockstep.service.events.EventFeed eventFeed;
    private io.lockstep.http.EventRoutes eventRoutes;
    /** Webhook delivery and event retention (issue 13), set once by {@link #start}. */
    private io.lockstep.service.events.WebhookDispatcher webhooks;
    private io.lockstep.service.events.EventRetention eventRetention;

    private LockstepServer(LockstepConfig config, JdbiStore store, ApiServer api, Environments environments, PinService pins,
                           ReleaseService releases, TemplateService templates, Metrics metrics,
                           ScheduledExecutorService background, DriftService drift, FleetService fleet,
                           RegistryServices registry, RegistryHookRoutes hooks, ApprovalService approvals) {
        this.approvals = approvals;
        this.registry = registry;
        this.hooks = hooks;
        this.config = config;
        this.environments = environments;
        this.pins = pins;
        this.releases = releases;
        this.templates = templates;
        this.drift = drift;
        this.fleet = fleet;
        this.store = store;
        this.api = api;
        this.metrics = metrics;
        this.background = background;
    }

    public static LockstepServer start(LockstepConfig config, Clock clock) {
        JdbiStore store = JdbiStore.open(config.database());
        RegistryJobs registryJobs = null;
        io.lockstep.service.events.ObservedEvents observed = null;
        try {
            SnapshotHolder snapshot = new SnapshotHolder(store);
            Environments environments = new Environments(config.environments(), config.defaultEnvironment());
            List<String> order = config.environments().stream().map(io.lockstep.domain.Environment::name).toList();
            PolicyService policies = new PolicyService(store, environments, clock, (document, env) -> {
                try {
                    return PolicySection.parse(document, env, order, config.remoteUpstreams().get(env.name()));
                } catch (ConfigException e) {
                    throw new IllegalArgumentException(e.getMessage().replaceFirst("^config error: ", ""));
                }
            });
            TemplateService templates = new TemplateService(store, snapshot, clock);
            templates.loadFromConfig(config.templates()); // its commit loads the first snapshot
            Metrics metrics = new Metrics(snapshot);
            WatchesSection.requireCovered(config.watches(), snapshot.get().templates(), config.registries());
            TemplateRegistries registries = new TemplateRegistries(new Registries(config.registries()));
            registryJobs = new RegistryJobs();
            PinnedImageAudit audit = new PinnedImageAudit(registries, snapshot, metrics.registry());
            TagMirror mirror = new TagMirror(registries, snapshot, environments, registryJobs.mirrorWorker(),
                    config.registries().repairMirrorTags(), metrics.registry());
            Holds holds = new Holds(store, clock);
            ImageVerifier verifier = registries.isEmpty() ? ImageVerifier.NONE : new RegistryImageVerifier(registries);
            List<PromotionObserver> observers = new ArrayList<>(List.of(metrics, mirror, holds));
            FleetService fleet = new FleetService(store.fleet(), environments, snapshot, clock, config.fleet());
            UpstreamPins remoteUpstreams = config.remoteUpstreams().isEmpty() ? UpstreamPins.NONE
                    : new HttpUpstreamPins(config.remoteUpstreams(), config.upstreamTokens()::get, clock);
            PinService pins = new PinService(store, snapshot, clock, verifier, observers, holds,
                    new UpstreamSources(remoteUpstreams, fleet));
            ReleaseService releases = new ReleaseService(store, snapshot, clock, environments, verifier);
            TokenRegistry tokenRegistry = new TokenRegistry(config.tokens(),
                    new OidcAuthenticator(config.oidcIssuers(), clock));
            Access access = new Access(tokenRegistry, environments);
            ResolveEndpoint resolve = new ResolveEndpoint(new ResolveService(environments, snapshot), snapshot, access,
                    audit, metrics.registry());
            List<Consumer<RoutesConfig>> routes = new ArrayList<>();
            routes.add(new SeedCompatRoutes(pins, snapshot, access)::register);
            routes.add(new PinRoutes(environments, snapshot, templates, pins, access, resolve)::register);
            routes.add(new TemplateRoutes(templates, access)::register);
            routes.add(new ReleaseRoutes(releases, pins, access)::register);
            routes.add(new PolicyRoutes(policies, access)::register);
            routes.add(new FenceRoutes(new FenceService(store, environments, clock), access)::register);
            io.lockstep.service.LineStopService lineStops = new io.lockstep.service.LineStopService(store, environments,
                    snapshot, clock);
            routes.add(new io.lockstep.http.LineStopRoutes(lineStops, access, clock)::register);
            metrics.beforeScrape(new io.lockstep.service.LineStopMetrics(lineStops, environments, clock,
                    metrics.registry())::refresh);
            ApprovalService approvals = new ApprovalService(store, environments, snapshot, clock);
            routes.add(new ApprovalRoutes(approvals, access)::register);
            metrics.beforeScrape(new ApprovalMetrics(approvals, environments, metrics.registry())::refresh);
            DriftService drift = new DriftService(store, environments, snapshot, clock, config.driftGracePeriod(),
                    new RegistrySignals(audit, mirror, holds)::current,
                    remoteUpstreams)
                    .askingGate(pins);
            metrics.beforeScrape(new DriftMetrics(drift, metrics.registry())::refresh);
            routes.add(new DriftRoutes(drift, environments, access)::register);
            routes.add(new FleetRoutes(fleet, access, clock)::register);
            SoloSightings solo = new SoloSightings();
            Watcher watcher = new Watcher(config.watches(), registries, snapshot, environments,
                    new ReleaseDiscovery(registries, store, releases, solo, clock),
                    new AutoPromotion(snapshot, store, pins, holds, solo), registryJobs.discoveries());
            registryJobs.start(config.registries(), registries, audit, mirror, watcher);
            RegistryServices registry = new RegistryServices(audit, mirror, holds, watcher, registryJobs);
            RegistryHookRoutes hooks = new RegistryHookRoutes(config.registries(), watcher);
            routes.add(hooks::register);
            io.lockstep.service.events.EventFeed eventFeed = new io.lockstep.service.events.EventFeed(store);
            io.lockstep.http.EventRoutes eventRoutes = new io.lockstep.http.EventRoutes(eventFeed, access,
                    io.lockstep.config.EventStreamSection.parse(config.root()), clock);
            routes.add(eventRoutes::register);
            io.lockstep.config.DashboardSection dashboard = io.lockstep.config.DashboardSection.parse(config.root());
            if (dashboard.enabled()) {
                var dashboardRoutes = new io.lockstep.http.dashboard.DashboardRoutes(new io.lockstep.http.dashboard.DashboardRoutes.Services(
                        new io.lockstep.service.dashboard.DashboardSessions(store.sessions(), tokenRegistry, clock,
                                dashboard.sessionTtl()),
                        tokenRegistry, environments, drift, snapshot, eventRoutes));
                routes.add(dashboardRoutes::register);
                routes.add(new io.lockstep.http.dashboard.PinPages(dashboardRoutes, new io.lockstep.http.dashboard.PinPages.Services(
                        pins, environments, snapshot, templates, drift, clock))::register);
                routes.add(new io.lockstep.http.dashboard.ReleasePages(dashboardRoutes, new io.lockstep.http.dashboard.ReleasePages.Services(
                        releases, pins, approvals, environments, snapshot))::register);
                routes.add(new io.lockstep.http.dashboard.RolloutPages(dashboardRoutes, environments,
                        new io.lockstep.service.dashboard.Rollouts(fleet, store, eventFeed, snapshot, clock,
                                io.lockstep.config.ObservedEventsSection.parse(config.root().get("events"))
                                        .fleetConvergedAt()))::register);
                routes.add(new io.lockstep.http.dashboard.ActivityPages(dashboardRoutes, environments, snapshot,
                        eventFeed)::register);
            }
            var webhookMetrics = new io.lockstep.service.events.WebhookMetrics(metrics.registry(), store,
                    store.subscriptions(), clock);
            metrics.beforeScrape(webhookMetrics::refresh);
            store.onEventsWritten(webhookMetrics::written);
            // Leases are compared across replicas, so they run on wall time, not the (test-adjustable) clock.
            var webhooks = new io.lockstep.service.events.WebhookDispatcher(store, store.subscriptions(),
                    config.webhooks(), clock, Clock.systemUTC(), webhookMetrics);
            var subscriptions = new io.lockstep.service.events.SubscriptionService(store, store.subscriptions(),
                    environments, config.webhooks(), clock, webhooks::reconcile);
            subscriptions.syncConfig();
            routes.add(new io.lockstep.http.SubscriptionRoutes(subscriptions, access)::register);
            var retention = new io.lockstep.service.events.EventRetention(store, store.subscriptions(),
                    config.webhooks().retention(), clock);
            ApiServer api = new ApiServer(config.host(), config.port(), store, resolve, metrics, routes).start();
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lockstep-background");
                t.setDaemon(true);
                return t;
            });
            // A safety net under change notifications: a replica that missed one catches up here.
            background.scheduleWithFixedDelay(snapshot::reload, 30, 30, TimeUnit.SECONDS);
            background.scheduleWithFixedDelay(policies::reloadInBackground, 30, 30, TimeUnit.SECONDS);
            background.scheduleWithFixedDelay(fleet::purgeInBackground, 5, 5, TimeUnit.MINUTES);
            background.scheduleWithFixedDelay(retention::purgeInBackground, 1, 5, TimeUnit.MINUTES);
            observed = new io.lockstep.service.events.ObservedEvents(store,
                    new io.lockstep.service.events.ObservedEvents.Sources(drift, fleet, environments, snapshot,
                            () -> registries.isEmpty() || audit.hasRun()),
                    clock, io.lockstep.config.ObservedEventsSection.parse(config.root().get("events"))).start();
            LockstepServer started = new LockstepServer(config, store, api, environments, pins, releases, templates, metrics, background, drift, fleet, registry, hooks,
                    approvals).observing(observed);
            started.eventFeed = eventFeed;
            started.eventRoutes = eventRoutes;
            started.webhooks = webhooks.start();
            started.eventRetention = retention;
            return started;
        } catch (RuntimeException e) {
            if (registryJobs != null) {
                registryJobs.close();
            }
            if (observed != null) {
                observed.close();
            }
            store.close();
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    public String baseUrl() {
        return "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port();
    }

    /** The HTTP endpoints this server registered (see {@link ApiServer#routes()}). */
    public List<String> routes() {
        return api.routes();
    }

    public PinService pins() {
        return pins;
    }

    public ReleaseService releases() {
        return releases;
    }

    /** The hosted environments, resolved from the configuration. */
    public Environments environments() {
        return environments;
    }

    public TemplateService templates() {
        return templates;
    }

    public Metrics metrics() {
        return metrics;
    }

    public DriftService drift() {
        return drift;
    }

    public FleetService fleet() {
        return fleet;
    }

    public ApprovalService approvals() {
        return approvals;
    }

    public RegistryServices registry() {
        return registry;
    }

    /** The registry webhook endpoint (its counters let tests wait for triggered discoveries). */
    public RegistryHookRoutes registryHooks() {
        return hooks;
    }

    /** The event stream and pages (tests read how many streams are open). */
    public io.lockstep.http.EventRoutes eventRoutes() {
        return eventRoutes;
    }

    public JdbiStore store() {
        return store;
    }

    private io.lockstep.service.events.ObservedEvents observed;

    private LockstepServer observing(io.lockstep.service.events.ObservedEvents observed) {
        this.observed = observed;
        return this;
    }

    /** The observer of drift and fleet convergence that tells drift.changed, image.gone, mirror.stale, fleet.*. */
    public io.lockstep.service.events.ObservedEvents observedEvents() {
        return observed;
    }

    /** Event retention ({@code events.retention}); tests run a pass with {@link io.lockstep.service.events.EventRetention#purge}. */
    public io.lockstep.service.events.EventRetention eventRetention() {
        return eventRetention;
    }

    @Override
    public void close() {
        if (webhooks != null) {
            webhooks.close();
        }
        background.shutdownNow();
        if (observed != null) {
            observed.close();
        }
        registry.close();
        eventFeed.close(); // open event streams end, so Jetty need not wait for them to stop
        api.stop();
        store.close();
    }
}
