package io.lockstep.store;

import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on a SQLite data directory, held for the life of the process. SQLite's own
 * locks let a second process open the same file and serve its own stale snapshot; this lock makes
 * the second process fail at start instead. It lives in a separate file because SQLite's POSIX
 * locks on the database file are per process and would be dropped by closing any other descriptor
 * of that file.
 */
public final class DataDirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "lockstep.lock";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code directory} (created if missing), or fails with one sentence naming it. */
    public static DataDirectoryLock acquire(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM, e.g. a second server started in the same process
            }
            if (lock == null) {
                String holder = holderOf(channel);
                channel.close();
                throw new LockstepException(Problem.DATA_DIRECTORY_IN_USE, "The data directory " + dir
                        + " is in use by another Lockstep process" + holder + "; stop it, or give this one another"
                        + " directory (lock file " + file + ").");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirectoryLock(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreUnavailableException(StoreUnavailableException.Reason.UNAVAILABLE,
                    "cannot lock the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory holding a SQLite database file named by a JDBC URL; empty for in-memory or URI forms. */
    public static Optional<Path> directoryOf(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path).toAbsolutePath().normalize().getParent());
    }

    private static String holderOf(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
