package io.lockstep.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what happens when a program a test needs is not installed: on CI ({@code CI=true} as
 * system property or environment variable) the test fails loudly, because a skipped registry suite
 * would hide exactly the bugs it exists to catch; on a developer machine it is skipped with a message
 * naming the Debian package to install.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    public static boolean onCi() {
        String v = System.getProperty("CI", System.getenv("CI"));
        return "true".equalsIgnoreCase(v);
    }

    /** Returns {@code binary} if executable; otherwise fails (CI) or aborts the test as skipped. */
    public static Path require(String binary, String debianPackage) {
        Path p = Path.of(binary);
        if (Files.isExecutable(p)) {
            return p;
        }
        String message = binary + " is not installed (Debian package '" + debianPackage + "'; see APT_PACKAGES.txt)";
        if (onCi()) {
            throw new AssertionError(message + " — CI=true, so this is a failure, not a skip");
        }
        Assumptions.assumeTrue(false, message + " — skipping");
        return p;
    }

    /** True if installed; never skips or fails (for optional cross-checks such as skopeo). */
    public static boolean available(String binary) {
        return Files.isExecutable(Path.of(binary));
    }
}
