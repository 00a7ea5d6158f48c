package io.lockstep.store;

import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V3 adds who registered a release and where they may write. A release registered before it has no
 * such record and stays promotable everywhere, as it was; new registrations round-trip on both stores.
 */
class ReleaseRegistrantsMigrationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleaseFromBeforeV3IsVouchedForEveryEnvironmentAndNewOnesRoundTrip(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration/common")
                .target("2").load().migrate();
        TestDatabases.execute(db, "INSERT INTO releases (id, lockstep_group, runtime_version, git_sha, images, exclude,"
                + " created_at, created_by) VALUES ('runtime@v0.9.0', 'runtime', 'v0.9.0', NULL,"
                + " '{\"hermes\":\"sha256:" + "a".repeat(64) + "\"}', '{}', 1700000000000, 'old-ci')");

        try (JdbiStore store = JdbiStore.open(db)) {
            Release old = store.release("runtime@v0.9.0").orElseThrow();
            assertThat(old.registrants().tokens()).containsExactly("old-ci");
            assertThat(old.registrants().everyEnvironment()).isTrue();
            assertThat(old.registrants().vouchFor("prod")).isTrue();

            Release limited = new Release("runtime@v1.0.0", "runtime", "v1.0.0", null,
                    Map.of("hermes", "sha256:" + "b".repeat(64)), Map.of(), Instant.ofEpochMilli(1700000001000L), "staging-ci",
                    Registrants.of("staging-ci", Set.of("staging")));
            store.write(tx -> {
                tx.saveRelease(limited);
                return null;
            });
            assertThat(store.release("runtime@v1.0.0").orElseThrow().registrants())
                    .isEqualTo(new Registrants(List.of("staging-ci"), Set.of("staging")));

            Registrants widened = limited.registrants().widenedBy(Registrants.of("prod-ci", Set.of("prod")));
            store.write(tx -> {
                tx.saveRegistrants("runtime@v1.0.0", widened);
                return null;
            });
            Release read = store.release("runtime@v1.0.0").orElseThrow();
            assertThat(read.registrants().tokens()).containsExactly("staging-ci", "prod-ci");
            assertThat(read.registrants().environments()).containsExactly("prod", "staging");
            assertThat(read.images()).isEqualTo(limited.images());
        }
    }
}
