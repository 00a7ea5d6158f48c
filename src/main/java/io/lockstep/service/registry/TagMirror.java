package io.lockstep.service.registry;

import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.Manifest;
import io.lockstep.oci.ManifestRef;
import io.lockstep.oci.RegistryClient;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;
import io.lockstep.service.Environments;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.PromotionObserver;
import io.lockstep.service.SnapshotHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Moves an environment's {@code mirror_tag} ({@code <repository>:prod}) to the pinned digest after
 * each promote, so tools that only understand tags follow the pin. The pin is the source of truth: a
 * mirror that fails never undoes it, it is only reported ({@code MIRROR_STALE}) until a retry
 * succeeds. One tag cannot hold several regions' digests, so only the {@code global} pin is mirrored.
 *
 * <p>Mirroring runs on its own single thread, in promote order, so a slow registry never delays a
 * promote's answer. A key counts as stale from the promote until the tag is read back.
 *
 * <p>Someone may move the tag by hand (a push, {@code skopeo copy}). {@link #auditTags} runs with
 * the pinned-image audit and reads every mirror tag back: one away from the pinned digest is
 * re-pointed ({@code audit.mirror_tags: repair}, the default) or only reported as {@code MIRROR_STALE}
 * ({@code flag}, for teams that move tags on purpose and want to be told, not overruled).
 */
public final class TagMirror implements PromotionObserver {
    private static final Logger LOG = LoggerFactory.getLogger(TagMirror.class);

    private final TemplateRegistries registries;
    private final SnapshotHolder snapshot;
    private final Environments environments;
    private final ExecutorService worker;
    /** Keys whose tag is not (known to be) at the pinned digest, with that digest. */
    private final PinnedDigestFlags stale;
    /** Keys whose tag the audit found moved away from the pinned digest and left there (flag-only). */
    private final PinnedDigestFlags moved;
    private final boolean repair;
    private final MeterRegistry meters;

    public TagMirror(TemplateRegistries registries, SnapshotHolder snapshot, Environments environments, ExecutorService worker,
                     boolean repair, MeterRegistry meters) {
        this.registries = registries;
        this.snapshot = snapshot;
        this.environments = environments;
        this.worker = worker;
        this.stale = new PinnedDigestFlags(snapshot);
        this.moved = new PinnedDigestFlags(snapshot);
        this.repair = repair;
        this.meters = meters;
    }

    @Override
    public void promoted(Environment environment, List<PromoteOutcome> outcomes) {
        if (environment.mirrorTag() == null) {
            return;
        }
        for (PromoteOutcome o : outcomes) {
            Pin pin = o.pin();
            if (pin != null && o.result() != PromoteOutcome.Result.EXCLUDED && pin.key().region().equals(Names.DEFAULT_REGION)
                    && (o.result() != PromoteOutcome.Result.UNCHANGED || stale.isFlagged(pin.key())
                    || moved.isFlagged(pin.key()))) {
                stale.flag(pin.key(), pin.digest());
                worker.execute(() -> mirrorIfStillPinned(pin.key(), pin.digest()));
            }
        }
    }

    /**
     * Brings every mirrored tag in line: each stale key is tried again; with {@code all}, also pins
     * not known to be stale (at startup nothing is known, and someone may have moved the tag by hand).
     */
    public void reconcile(boolean all) {
        for (Environment env : environments.all()) {
            if (env.mirrorTag() == null) {
                continue;
            }
            for (Pin pin : snapshot.get().pins(env.name())) {
                if (pin.key().region().equals(Names.DEFAULT_REGION) && (all || stale.isFlagged(pin.key()))) {
                    mirrorIfStillPinned(pin.key(), pin.digest());
                }
            }
        }
    }

    /**
     * Reads every mirror tag back (with the pinned-image audit) and repairs or flags one that is not at
     * the pinned digest. Keys with a mirror pending or failing are left to the retries.
     */
    public void auditTags() {
        for (Environment env : environments.all()) {
            if (env.mirrorTag() == null) {
                continue;
            }
            for (Pin pin : snapshot.get().pins(env.name())) {
                if (pin.key().region().equals(Names.DEFAULT_REGION) && !stale.isFlagged(pin.key())) {
                    auditTag(env, pin);
                }
            }
        }
    }

    private void auditTag(Environment env, Pin pin) {
        Template template = snapshot.get().template(pin.key().template());
        Optional<ImageLocation> where = template == null ? Optional.empty() : registries.locate(template);
        if (where.isEmpty()) {
            return;
        }
        String tag = env.mirrorTag();
        Optional<ManifestRef> current;
        try {
            current = where.get().client().headManifest(where.get().repository(), tag);
        } catch (RuntimeException e) {
            LOG.warn("mirror audit: cannot read {}:{}: {}", where.get().display(), tag, e.getMessage());
            return; // keep what is known; the next run asks again
        }
        String found = current.map(ManifestRef::digest).orElse(null);
        if (pin.digest().equals(found)) {
            moved.clear(pin.key(), pin.digest());
            return;
        }
        if (repair) {
            LOG.warn("mirror audit: {}:{} is at {} but {} pins {}; re-pointing the tag", where.get().display(), tag,
                    found == null ? "nothing" : found, pin.key(), pin.digest());
            count(pin.key(), "repaired");
            mirrorIfStillPinned(pin.key(), pin.digest());
        } else if (!moved.isFlagged(pin.key())) {
            moved.flag(pin.key(), pin.digest());
            LOG.warn("mirror audit: {}:{} is at {} but {} pins {}; reported as MIRROR_STALE (audit.mirror_tags: flag)",
                    where.get().display(), tag, found == null ? "nothing" : found, pin.key(), pin.digest());
            count(pin.key(), "flagged");
        }
    }

    private void count(PinKey key, String action) {
        Counter.builder("lockstep_mirror_tag_moved")
                .description("Mirror tags the audit found away from the pinned digest, by what it did about it")
                .tag("environment", key.environment()).tag("template", key.template()).tag("action", action)
                .register(meters).increment();
    }

    /** Pins whose mirror tag is not known to be at the pinned digest (failed or pending mirrors, tags moved by hand). */
    public Set<PinKey> mirrorStale() {
        Set<PinKey> out = new java.util.HashSet<>(stale.current());
        out.addAll(moved.current());
        return Set.copyOf(out);
    }

    private void mirrorIfStillPinned(PinKey key, String digest) {
        Pin now = snapshot.get().pin(key);
        if (now == null || !now.digest().equals(digest)) {
            stale.clear(key, digest);
            return; // a later promote moved the pin and scheduled its own mirror
        }
        Template template = snapshot.get().template(key.template());
        Environment env = environments.require(key.environment());
        Optional<ImageLocation> where = template == null ? Optional.empty() : registries.locate(template);
        if (where.isEmpty() || env.mirrorTag() == null) {
            stale.clear(key, digest);
            return;
        }
        String tag = env.mirrorTag();
        RegistryClient client = where.get().client();
        String repository = where.get().repository();
        try {
            Optional<ManifestRef> current = client.headManifest(repository, tag);
            if (current.isEmpty() || !current.get().digest().equals(digest)) {
                Manifest manifest = client.getManifest(repository, digest);
                client.putManifest(repository, tag, manifest.body(), manifest.ref().mediaType());
                current = client.headManifest(repository, tag);
            }
            if (current.isPresent() && current.get().digest().equals(digest)) {
                stale.clear(key, digest);
                moved.clear(key, digest);
            } else {
                stale.flag(key, digest);
                LOG.warn("mirror {}:{} reads back {} instead of {}; will retry", where.get().display(), tag,
                        current.map(ManifestRef::digest).orElse("nothing"), digest);
            }
        } catch (RuntimeException e) {
            stale.flag(key, digest);
            LOG.warn("mirror {}:{} -> {} failed, will retry: {}", where.get().display(), tag, digest, e.getMessage());
        }
    }
}
