package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;

/**
 * Answers "which image does this workload run?" from the in-memory snapshot. Fails closed: a
 * template without a pin is {@code RUNTIME_PIN_MISSING}, never a fallback to a tag such as {@code :latest}.
 */
public final class ResolveService {
    private final Environments environments;
    private final SnapshotHolder snapshot;

    public ResolveService(Environments environments, SnapshotHolder snapshot) {
        this.environments = environments;
        this.snapshot = snapshot;
    }

    /** A resolved pin, the template it belongs to and the environment it was resolved in. */
    public record Resolution(Environment environment, Template template, Pin pin) {
    }

    public Resolution resolve(String environment, String templateName, String kind, String region) {
        Environment env = environments.require(environment);
        PinSnapshot snap = snapshot.get();
        Template template;
        if (templateName != null && kind != null) {
            throw new LockstepException(Problem.AMBIGUOUS_QUERY, "Give either template or kind, not both.");
        } else if (templateName != null) {
            // Look up first, validate only on a miss: known names are valid, and resolve is the hot path.
            template = snap.template(templateName);
            if (template == null) {
                Names.require("template", templateName);
                throw new LockstepException(Problem.UNKNOWN_TEMPLATE, "No template named " + templateName + ".");
            }
        } else if (kind != null) {
            template = snap.templateForKind(kind);
            if (template == null) {
                Names.require("kind", kind);
                throw new LockstepException(Problem.UNKNOWN_KIND, "No template serves workload kind " + kind + ".");
            }
        } else {
            throw new LockstepException(Problem.MISSING_QUERY, "Give template=<name> or kind=<workload kind>.");
        }
        String wantedRegion = region == null || region.isEmpty() ? Names.DEFAULT_REGION : region;
        Pin pin = snap.pin(new PinKey(env.name(), template.name(), wantedRegion));
        if (pin == null) {
            Names.regionOrDefault(region);
        }
        if (pin == null && !wantedRegion.equals(Names.DEFAULT_REGION)) {
            pin = snap.pin(new PinKey(env.name(), template.name(), Names.DEFAULT_REGION));
        }
        if (pin == null) {
            throw new LockstepException(Problem.RUNTIME_PIN_MISSING, "Template " + template.name()
                    + " has no pin in " + env.name() + " (region " + wantedRegion + "); promote a digest before "
                    + "provisioning it. Lockstep never falls back to a tag.");
        }
        return new Resolution(env, template, pin);
    }
}
