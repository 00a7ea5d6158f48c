package io.lockstep.store;

import io.lockstep.domain.Template;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code templates} table; {@code source} says whether config or the API wrote a row. */
final class TemplateTable {
    private final Handle h;

    TemplateTable(Handle h) {
        this.h = h;
    }

    List<Template> all() {
        return h.createQuery("SELECT * FROM templates ORDER BY name").map(Rows.TEMPLATE).list();
    }

    Optional<Template> find(String name) {
        return h.createQuery("SELECT * FROM templates WHERE name = :n").bind("n", name).map(Rows.TEMPLATE).findOne();
    }

    void save(Template t, String source, Instant at) {
        h.createUpdate("INSERT INTO templates (name, repository, kinds, lockstep_group, pinnable, source, updated_at)"
                        + " VALUES (:n, :repo, :kinds, :g, :p, :src, :at) ON CONFLICT (name) DO UPDATE SET"
                        + " repository = excluded.repository, kinds = excluded.kinds,"
                        + " lockstep_group = excluded.lockstep_group, pinnable = excluded.pinnable,"
                        + " source = excluded.source, updated_at = excluded.updated_at")
                .bind("n", t.name()).bind("repo", t.repository()).bind("kinds", Json.write(t.kinds()))
                .bind("g", t.group()).bind("p", t.pinnable() ? 1 : 0).bind("src", source)
                .bind("at", at.toEpochMilli()).execute();
    }
}
