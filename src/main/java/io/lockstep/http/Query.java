package io.lockstep.http;

import io.javalin.http.Context;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

/** Query-string parameters with the same precise 400s as bodies. */
final class Query {
    private Query() {
    }

    static int integer(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new LockstepException(Problem.INVALID_PARAMETER, name + " must be a whole number from " + min + " to " + max + ".");
        }
    }

    static Long optionalLong(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new LockstepException(Problem.INVALID_PARAMETER, name + " must be a whole number.");
        }
    }
}
