package io.lockstep.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite statement cache on a real SQLite file behind the same HikariCP pool the store uses. */
class SqliteStatementCacheTest {
    @TempDir
    Path dir;
    private HikariDataSource ds;
    private Jdbi jdbi;
    private final List<PreparedStatement> executed = new ArrayList<>();

    @BeforeEach
    void open() {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + dir.resolve("cache.db"));
        hc.setMaximumPoolSize(1); // one physical connection: every handle gets the same one
        ds = new HikariDataSource(hc);
        jdbi = Jdbi.create(ds);
        jdbi.setStatementBuilderFactory(new SqliteStatementCache());
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
    }

    @AfterEach
    void close() {
        ds.close();
    }

    /** Remembers the JDBC statement each execution ran on. */
    private final StatementCustomizer record = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
            executed.add(stmt);
        }
    };

    private void insert(String k, int v) {
        jdbi.useTransaction(h -> h.createUpdate("INSERT INTO t (k, v) VALUES (:k, :v)").bind("k", k).bind("v", v)
                .addCustomizer(record).execute());
    }

    private Integer value(String k) {
        return jdbi.withHandle(h -> h.createQuery("SELECT v FROM t WHERE k = :k").bind("k", k).addCustomizer(record)
                .mapTo(Integer.class).findOne().orElse(null));
    }

    @Test
    void theSameSqlRunsOnTheSameCompiledStatementAcrossHandles() {
        insert("a", 1);
        insert("b", 2);
        assertThat(value("a")).isEqualTo(1);
        assertThat(value("b")).isEqualTo(2);
        assertThat(executed).hasSize(4);
        assertThat(executed.get(1)).isSameAs(executed.get(0));
        assertThat(executed.get(3)).isSameAs(executed.get(2));
        assertThat(executed.get(2)).isNotSameAs(executed.get(0));
    }

    @Test
    void aStatementThatFailedRunsCorrectlyAgain() {
        insert("a", 1);
        assertThatThrownBy(() -> insert("a", 2)).hasMessageContaining("UNIQUE");
        insert("b", 3);
        assertThat(value("a")).isEqualTo(1);
        assertThat(value("b")).isEqualTo(3);
        assertThat(executed.get(2)).isSameAs(executed.get(0));
    }

    @Test
    void theSameQueryNestedInItsOwnIterationGetsItsOwnStatement() {
        insert("a", 1);
        insert("b", 2);
        List<String> seen = jdbi.withHandle(h -> {
            List<String> out = new ArrayList<>();
            try (var outer = h.createQuery("SELECT k FROM t WHERE v >= :v ORDER BY k").bind("v", 0)
                    .mapTo(String.class).iterator()) {
                while (outer.hasNext()) {
                    String k = outer.next();
                    List<String> inner = h.createQuery("SELECT k FROM t WHERE v >= :v ORDER BY k")
                            .bind("v", k.equals("a") ? 2 : 0).mapTo(String.class).list();
                    out.add(k + "=" + inner);
                }
            }
            return out;
        });
        assertThat(seen).containsExactly("a=[b]", "b=[a, b]");
    }

    @Test
    void aConnectionClosedByThePoolIsReplacedAndItsStatementsPreparedAgain() {
        insert("a", 1);
        assertThat(value("a")).isEqualTo(1);
        ds.getHikariPoolMXBean().softEvictConnections();
        assertThat(value("a")).isEqualTo(1);
        assertThat(executed.get(2)).isNotSameAs(executed.get(1));
        assertThat(value("a")).isEqualTo(1);
        assertThat(executed.get(3)).isSameAs(executed.get(2));
    }

    @Test
    void statementsReturningGeneratedKeysOrWithATimeoutAreNotKept() {
        Long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO t (k, v) VALUES ('g', 7)")
                .executeAndReturnGeneratedKeys().mapTo(Long.class).one());
        assertThat(id).isPositive();
        jdbi.useHandle(h -> h.createQuery("SELECT v FROM t WHERE k = :k").bind("k", "g").setQueryTimeout(3)
                .addCustomizer(record).mapTo(Integer.class).one());
        assertThat(value("g")).isEqualTo(7);
        assertThat(executed.get(1)).isNotSameAs(executed.get(0)); // the one with a timeout was closed, not kept
    }

    @Test
    void aStatementReturnedOnARowDoesNotHoldItsConnectionOnAnOldSnapshot() throws Exception {
        insert("a", 1);
        // a SELECT run as an update stops on its first row and is never read to the end
        jdbi.useHandle(h -> h.createUpdate("SELECT v FROM t").execute());
        try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"))) {
            other.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE k = 'a'");
        }
        assertThat(value("a")).as("the pool's connection sees the other connection's commit").isEqualTo(2);
    }
}
