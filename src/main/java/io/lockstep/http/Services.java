package io.lockstep.http;

import io.lockstep.service.Environments;
import io.lockstep.service.FenceService;
import io.lockstep.service.PinService;
import io.lockstep.service.ReleaseService;
import io.lockstep.service.ResolveService;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.TemplateService;
import io.lockstep.store.Store;

/** What the HTTP adapter needs from the application, handed over in one piece. */
public record Services(Store store, Environments environments, SnapshotHolder snapshot, PinService pins,
                       ReleaseService releases, TemplateService templates, FenceService fences,
                       ResolveService resolver) {
}
