package io.lockstep.store;

import io.lockstep.domain.Template;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code templates} table; {@code source} says whether config or the API wrote a row. */
interface TemplateTable {

    @SqlQuery("SELECT * FROM templates ORDER BY name")
    List<Template> all();

    @SqlQuery("SELECT * FROM templates WHERE name = :name")
    Optional<Template> find(String name);

    default void save(Template t, String source, Instant at) {
        upsert(t, Json.write(t.kinds()), t.pinnable() ? 1 : 0, source, at.toEpochMilli());
    }

    @SqlUpdate("INSERT INTO templates (name, repository, kinds, lockstep_group, pinnable, source, updated_at)"
            + " VALUES (:t.name, :t.repository, :kinds, :t.group, :pinnable, :source, :at) ON CONFLICT (name) DO UPDATE SET"
            + " repository = excluded.repository, kinds = excluded.kinds,"
            + " lockstep_group = excluded.lockstep_group, pinnable = excluded.pinnable,"
            + " source = excluded.source, updated_at = excluded.updated_at")
    void upsert(@BindMethods("t") Template t, String kinds, int pinnable, String source, long at);
}
