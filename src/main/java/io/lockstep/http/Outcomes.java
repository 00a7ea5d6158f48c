package io.lockstep.http;

import io.lockstep.service.PromoteOutcome;
import io.lockstep.wire.PromoteResultJson.PromoteResult;
import io.lockstep.wire.PromoteResultJson;

import java.util.Map;

/** A promote's outcome in the API's shape, the one the CLI reads back with {@link PromoteResultJson#read}. */
final class Outcomes {
    private Outcomes() {
    }

    static Map<String, Object> json(PromoteOutcome o) {
        return PromoteResultJson.write(PromoteResult.of(o.result().wire(), o.pin(), o.previousDigest(), o.entry()));
    }
}
