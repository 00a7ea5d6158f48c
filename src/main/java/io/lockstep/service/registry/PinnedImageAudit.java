package io.lockstep.service.registry;

import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.RegistryException;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.ImageStatus;
import io.lockstep.domain.Template;
import io.lockstep.service.ImageStatuses;
import io.lockstep.service.SnapshotHolder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-checks every pinned digest against its registry, because a pin must never point at an image the
 * registry does not have and registries expire
 * images under lifecycle rules long after the pin was set. A digest the registry answers 404 for
 * becomes drift status {@code IMAGE_GONE} and {@code lockstep_pinned_image_missing = 1}. A pin whose
 * check failed (registry down) keeps its last known state rather than flapping.
 */
public final class PinnedImageAudit implements ImageStatuses {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedImageAudit.class);

    /** What one run found. */
    public record Run(int checked, List<PinKey> missing, int errors) {
    }

    private final TemplateRegistries registries;
    private final SnapshotHolder snapshot;
    private final MultiGauge missingGauge;
    /** Pins found gone, with the digest that was gone: a pin moved since is no longer reported. */
    private final PinnedDigestFlags gone;
    /** The last answer per pin, with the digest it was about (resolve's {@code image_status}). */
    private final Map<PinKey, Checked> checkedPins = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile boolean hasRun;

    private record Checked(String digest, boolean exists) {
    }

    public PinnedImageAudit(TemplateRegistries registries, SnapshotHolder snapshot, MeterRegistry meters) {
        this.registries = registries;
        this.snapshot = snapshot;
        this.gone = new PinnedDigestFlags(snapshot);
        this.missingGauge = MultiGauge.builder("lockstep_pinned_image_missing")
                .description("1 when the registry no longer has a pinned digest (last audit run)").register(meters);
    }

    /** Checks every pin once; each distinct image is asked about once per run. */
    public synchronized Run runOnce() {
        Map<String, Optional<Boolean>> answers = new HashMap<>();
        List<PinKey> missing = new ArrayList<>();
        int checked = 0;
        int errors = 0;
        for (Pin pin : List.copyOf(snapshot.get().pins())) {
            Template template = snapshot.get().template(pin.key().template());
            Optional<ImageLocation> where = template == null ? Optional.empty() : registries.locate(template);
            if (where.isEmpty()) {
                continue;
            }
            checked++;
            Optional<Boolean> exists = answers.computeIfAbsent(where.get().display() + "@" + pin.digest(),
                    k -> ask(where.get(), pin.digest()));
            if (exists.isEmpty()) {
                errors++;
            } else if (exists.get()) {
                gone.clear(pin.key());
                remember(pin, true);
            } else {
                gone.flag(pin.key(), pin.digest());
                missing.add(pin.key());
                remember(pin, false);
            }
        }
        publishGauge();
        hasRun = true;
        if (!missing.isEmpty()) {
            LOG.warn("pinned-image audit: the registry no longer has {} pinned image(s): {}", missing.size(), missing);
        }
        return new Run(checked, List.copyOf(missing), errors);
    }

    @Override
    public ImageStatus of(Pin pin) {
        Checked c = checkedPins.get(pin.key());
        if (c == null || !c.digest().equals(pin.digest())) {
            return ImageStatus.UNKNOWN;
        }
        return c.exists() ? ImageStatus.PRESENT : ImageStatus.GONE;
    }

    @Override
    public long version() {
        return version.get();
    }

    private void remember(Pin pin, boolean exists) {
        Checked now = new Checked(pin.digest(), exists);
        if (!now.equals(checkedPins.put(pin.key(), now))) {
            version.incrementAndGet();
        }
    }

    /**
     * Whether this process has audited once: before that, "not gone" means "not asked yet" (observed
     * events then keep the image state last told instead of telling the image came back).
     */
    public boolean hasRun() {
        return hasRun;
    }

    /** Pins whose current digest the last audit found gone. */
    public Set<PinKey> imageGone() {
        return gone.current();
    }

    private static Optional<Boolean> ask(ImageLocation where, String digest) {
        try {
            return Optional.of(where.client().exists(where.repository(), digest));
        } catch (RegistryException e) {
            LOG.warn("pinned-image audit: cannot check {}@{}: {}", where.display(), digest, e.getMessage());
            return Optional.empty();
        }
    }

    private void publishGauge() {
        Set<PinKey> current = imageGone();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Pin pin : snapshot.get().pins()) {
            rows.add(MultiGauge.Row.of(Tags.of("environment", pin.key().environment(), "template", pin.key().template(),
                    "region", pin.key().region()), current.contains(pin.key()) ? 1 : 0));
        }
        missingGauge.register(rows, true);
    }
}
