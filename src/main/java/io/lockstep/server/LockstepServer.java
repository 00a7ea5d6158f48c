package io.lockstep.server;

import io.javalin.config.RoutesConfig;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.auth.oidc.OidcAuthenticator;
import io.lockstep.config.LockstepConfig;
import io.lockstep.drift.DriftMetrics;
import io.lockstep.drift.DriftService;
import io.lockstep.fleet.FleetService;
import io.lockstep.fleet.FleetSettings;
import io.lockstep.http.Access;
import io.lockstep.http.ApiServer;
import io.lockstep.http.DriftRoutes;
import io.lockstep.http.FleetRoutes;
import io.lockstep.http.RegistryHookRoutes;
import io.lockstep.http.Services;
import io.lockstep.metrics.Metrics;
import io.lockstep.service.Environments;
import io.lockstep.service.FenceService;
import io.lockstep.service.PromotionObserver;
import io.lockstep.registry.watch.RegistryFeatures;
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
    private final Services services;
    private final Metrics metrics;
    private final ScheduledExecutorService background;
    private final LockstepConfig config;
    private final DriftService drift;
    private final FleetService fleet;
    private final RegistryFeatures registry;
    private final RegistryHookRoutes hooks;

    private LockstepServer(LockstepConfig config, JdbiStore store, ApiServer api, Services services, Metrics metrics,
                           ScheduledExecutorService background, DriftService drift, FleetService fleet,
                           RegistryFeatures registry, RegistryHookRoutes hooks) {
        this.registry = registry;
        this.hooks = hooks;
        this.config = config;
        this.drift = drift;
        this.fleet = fleet;
        this.store = store;
        this.api = api;
        this.services = services;
        this.metrics = metrics;
        this.background = background;
    }

    public static LockstepServer start(LockstepConfig config, Clock clock) {
        JdbiStore store = JdbiStore.open(config.database());
        RegistryFeatures registry = null;
        try {
            SnapshotHolder snapshot = new SnapshotHolder(store);
            Environments environments = new Environments(config.environments(), config.defaultEnvironment());
            TemplateService templates = new TemplateService(store, snapshot, clock);
            templates.loadFromConfig(config.templates()); // its commit loads the first snapshot
            Metrics metrics = new Metrics(snapshot);
            registry = new RegistryFeatures(config.registries(), config.watches(), snapshot, environments,
                    metrics.registry());
            List<PromotionObserver> observers = new ArrayList<>(List.of(metrics));
            observers.addAll(registry.observers());
            PinService pins = new PinService(store, environments, snapshot, clock, registry.verifier(), observers);
            ReleaseService releases = new ReleaseService(store, snapshot, clock);
            Services services = new Services(store, environments, snapshot, pins, releases, templates,
                    new FenceService(store, environments, clock), new ResolveService(environments, snapshot));
            List<Consumer<RoutesConfig>> extra = new ArrayList<>();
            Access access = new Access(new TokenRegistry(config.tokens(),
                    new OidcAuthenticator(config.oidcIssuers(), clock)), environments);
            DriftService drift = new DriftService(store, environments, snapshot, clock, config.driftGracePeriod(),
                    registry);
            metrics.beforeScrape(new DriftMetrics(drift, metrics.registry())::refresh);
            extra.add(new DriftRoutes(drift, environments, access)::register);
            FleetService fleet = new FleetService(store, environments, snapshot, clock, FleetSettings.from(config));
            extra.add(new FleetRoutes(fleet, access, clock)::register);
            registry.start(store, snapshot, environments, releases, pins, clock);
            RegistryHookRoutes hooks = new RegistryHookRoutes(config.registries().hookSecret(), registry.watcher());
            extra.add(hooks::register);
            ApiServer api = new ApiServer(config.host(), config.port(), services, access,
                    metrics, extra).start();
            ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lockstep-background");
                t.setDaemon(true);
                return t;
            });
            // A safety net under change notifications: a replica that missed one catches up here.
            background.scheduleWithFixedDelay(snapshot::reload, 30, 30, TimeUnit.SECONDS);
            background.scheduleWithFixedDelay(fleet::purgeInBackground, 5, 5, TimeUnit.MINUTES);
            return new LockstepServer(config, store, api, services, metrics, background, drift, fleet, registry, hooks);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
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

    public Services services() {
        return services;
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

    public RegistryFeatures registry() {
        return registry;
    }

    /** The registry webhook endpoint (its counters let tests wait for triggered discoveries). */
    public RegistryHookRoutes registryHooks() {
        return hooks;
    }

    public JdbiStore store() {
        return store;
    }

    @Override
    public void close() {
        background.shutdownNow();
        registry.close();
        api.stop();
        store.close();
    }
}
