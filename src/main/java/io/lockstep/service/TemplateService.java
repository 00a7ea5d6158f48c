package io.lockstep.service;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Template;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Templates come from the config file at start-up and can be created or changed through the admin API. */
public final class TemplateService {
    private static final Pattern REPOSITORY = Pattern.compile(
            "^[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");

    private final Store store;
    private final SnapshotHolder snapshot;
    private final Clock clock;

    public TemplateService(Store store, SnapshotHolder snapshot, Clock clock) {
        this.store = store;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    public static Template validate(Template t) {
        Names.require("name", t.name());
        if (t.repository() == null || t.repository().length() > 255 || !REPOSITORY.matcher(t.repository()).matches()) {
            throw new LockstepException(Problem.INVALID_REPOSITORY, "repository must be an image repository without tag or "
                    + "digest, like registry.example.com/team/" + t.name() + "; got "
                    + (t.repository() == null ? "nothing" : Names.quoteForError(t.repository())) + ".");
        }
        List<String> kinds = new ArrayList<>();
        for (String k : t.kinds()) {
            kinds.add(Names.require("kinds[]", k));
        }
        if (t.group() != null) {
            Names.require("group", t.group());
        }
        return new Template(t.name(), t.repository(), kinds, t.group(), t.pinnable());
    }

    /** Writes the config file's templates; the file wins over earlier API edits of the same name. */
    public void loadFromConfig(Collection<Template> templates) {
        List<Template> valid = templates.stream().map(TemplateService::validate).toList();
        store.write(tx -> {
            valid.forEach(t -> tx.saveTemplate(t, "config", clock.instant()));
            return null;
        });
    }

    public List<Template> list() {
        return List.copyOf(snapshot.get().templates());
    }

    public Template get(String name) {
        Names.require("template", name);
        Template t = snapshot.get().template(name);
        if (t == null) {
            throw new LockstepException(Problem.UNKNOWN_TEMPLATE, "No template named " + Names.quoteForError(name) + ".");
        }
        return t;
    }

    public Template create(Template template) {
        Template t = validate(template);
        requireKindsFree(t);
        return store.write(tx -> {
            if (tx.template(t.name()).isPresent()) {
                throw new LockstepException(Problem.TEMPLATE_EXISTS, "Template " + t.name()
                        + " already exists; use PUT /api/v1/templates/" + t.name() + " to change it.");
            }
            tx.saveTemplate(t, "api", clock.instant());
            return t;
        });
    }

    public Template update(Template template) {
        Template t = validate(template);
        requireKindsFree(t);
        return store.write(tx -> {
            if (tx.template(t.name()).isEmpty()) {
                throw new LockstepException(Problem.UNKNOWN_TEMPLATE, "No template named " + t.name()
                        + "; create it with POST /api/v1/templates.");
            }
            tx.saveTemplate(t, "api", clock.instant());
            return t;
        });
    }

    /** A workload kind must resolve to exactly one template, or resolve-by-kind would be ambiguous. */
    private void requireKindsFree(Template t) {
        for (String kind : t.kinds()) {
            Template owner = snapshot.get().templateForKind(kind);
            if (owner != null && !owner.name().equals(t.name())) {
                throw new LockstepException(Problem.KIND_TAKEN, "Workload kind " + kind
                        + " already resolves to template " + owner.name() + ".");
            }
        }
    }
}
