package io.lockstep.oci;

import io.lockstep.testing.RealServices;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Programs the registry tests run (docker-registry, skopeo, htpasswd, openssl). A missing one skips
 * the test on a developer machine and fails it when real services are mandatory; that decision is
 * {@link RealServices}'s alone.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** Kept for callers written before {@link RealServices}; same answer as {@link RealServices#mandatory()}. */
    public static boolean onCi() {
        return RealServices.mandatory();
    }

    /** Returns {@code binary} if executable; otherwise fails (mandatory) or aborts the test as skipped. */
    public static Path require(String binary, String debianPackage) {
        Path p = Path.of(binary);
        if (Files.isExecutable(p)) {
            return p;
        }
        throw RealServices.missing(binary + " is not installed (Debian package " + debianPackage + ")",
                RealServices.INSTALL_REGISTRY_TOOLS, null);
    }
}
