package io.lockstep.service.registry;

/**
 * The registry features the composition root built, kept together so the server can stop their
 * threads and tests can reach them (run a discovery, read the audit).
 */
public record RegistryServices(PinnedImageAudit audit, TagMirror mirror, Holds holds, Watcher watcher, RegistryJobs jobs)
        implements AutoCloseable {
    @Override
    public void close() {
        jobs.close();
    }
}
