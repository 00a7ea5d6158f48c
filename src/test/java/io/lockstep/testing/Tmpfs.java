package io.lockstep.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test directory, for faults a real disk produces: full (fill it) and
 * read-only files ({@code chattr +i}, which even root cannot write through when opening). Needs
 * root; without it a developer's run skips with a message, and CI (which runs as root) fails.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    public static Tmpfs mount(Path dir, String size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (failure != null) {
            unavailable("cannot mount a tmpfs on " + dir + " (" + failure + "); run the tests as root, as CI does");
        }
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Fills the file system: the returned file takes every remaining byte. */
    public Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException full) {
                    if (chunk.length == 1) {
                        break;
                    }
                    chunk = new byte[Math.max(1, chunk.length / 16)];
                }
            }
        } catch (IOException onClose) {
            // the last buffered bytes did not fit either, which is the point
        }
        return filler;
    }

    /** {@code chattr +i} or {@code -i}: an immutable file cannot be opened for writing, by anyone. */
    public static void immutable(Path file, boolean on) {
        String failure = run("chattr", on ? "+i" : "-i", file.toString());
        if (failure != null) {
            unavailable("cannot chattr " + file + " (" + failure + "); needs root and a kernel with tmpfs attributes (6.0+)");
        }
    }

    private static void unavailable(String why) {
        if (TestDatabases.inCi()) {
            throw new IllegalStateException("CI requires this fault injection: " + why);
        }
        Assumptions.abort("skipped: " + why);
    }

    /** Runs a command; null when it succeeded, else its exit code and output. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        List<String> leftovers = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> run("chattr", "-i", f.toString()));
        } catch (IOException ignored) {
            // unmounting below removes everything anyway
        }
        String failure = run("umount", "-l", dir.toString());
        if (failure != null) {
            leftovers.add(failure);
            System.err.println("could not unmount " + dir + ": " + leftovers);
        }
    }
}
