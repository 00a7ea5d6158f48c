package io.lockstep.cli;

import io.lockstep.cli.client.Target;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code --release} and {@code --registry-config}: how {@code publish} and {@code plan} name a release. */
final class ReleaseOptions {
    @Option(names = "--release", required = true, paramLabel = "FILE", description = "Release file (YAML or JSON).")
    Path file;

    @Option(names = "--registry-config", paramLabel = "FILE", description = "YAML file with a registries: section, as in the"
            + " server config; resolves {tag: …} entries of the release file to digests before anything else.")
    Path registryConfig;

    /** The release read for {@code command}'s targets; see {@link ReleaseInput#load}. */
    ReleaseInput read(ClientCommand command, List<Target> targets, List<String> problems) {
        return ReleaseInput.load(file, registryConfig, command.env, targets,
                t -> command.client(t).getPublic("/cp/runtimes"), problems);
    }
}
