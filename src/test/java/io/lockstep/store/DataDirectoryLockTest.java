package io.lockstep.store;

import io.lockstep.domain.LockstepException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SQLite data directory is opened by one store at a time; the second fails at once, naming it. */
class DataDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStoreOnTheSameSqliteFileFailsNamingTheDirectory() {
        DatabaseSettings db = DatabaseSettings.sqlite(dir.resolve("data").resolve("lockstep.db"));
        try (JdbiStore first = JdbiStore.open(db)) {
            assertThatThrownBy(() -> JdbiStore.open(db).close())
                    .isInstanceOfSatisfying(LockstepException.class, e -> {
                        assertThat(e.code()).isEqualTo("DATA_DIRECTORY_IN_USE");
                        assertThat(e.getMessage()).contains(dir.resolve("data").toAbsolutePath().toString())
                                .contains("pid " + ProcessHandle.current().pid()).doesNotContain("\n");
                    });
            assertThat(first.templates()).isNotNull(); // the first one is untouched
        }
        try (JdbiStore again = JdbiStore.open(db)) {
            assertThat(again.readiness().ready()).as("closing released the lock").isTrue();
        }
    }

    @Test
    void theLockFileLivesInTheDataDirectory() {
        assertThat(DataDirectoryLock.directoryOf("jdbc:sqlite:/var/lib/lockstep/lockstep.db?foo=bar"))
                .contains(Path.of("/var/lib/lockstep"));
        assertThat(DataDirectoryLock.directoryOf("jdbc:sqlite::memory:")).isEmpty();
        assertThat(DataDirectoryLock.directoryOf("jdbc:postgresql://db/lockstep")).isEmpty();
    }
}
