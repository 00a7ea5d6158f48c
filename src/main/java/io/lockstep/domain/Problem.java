package io.lockstep.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every failure Lockstep reports, once: its stable code, its {@link ErrorKind} (which the HTTP edge
 * maps to a status) and whether the same request may succeed later without the caller changing it.
 * Clients read {@code retryable} from the error body instead of keeping their own list of codes.
 *
 * <p>A code names a fact ("no such template"), so a few codes occur with two kinds: the URL (or
 * query) naming something that does not exist is {@code 404}; a request body or the seed contract
 * referring to it is {@code 422} (e.g. the seed's promote of an unknown template). Those are two
 * constants with one code; {@code docs/api.md} lists the code under both statuses.
 */
public enum Problem {
    // 400: the request itself is wrong; sending it again cannot help.
    BAD_REQUEST("BAD_REQUEST", ErrorKind.INVALID, false),
    UNSUPPORTED_MEDIA_TYPE("UNSUPPORTED_MEDIA_TYPE", ErrorKind.INVALID, false),
    UNREADABLE_BODY("UNREADABLE_BODY", ErrorKind.INVALID, false),
    EMPTY_BODY("EMPTY_BODY", ErrorKind.INVALID, false),
    MALFORMED_JSON("MALFORMED_JSON", ErrorKind.INVALID, false),
    UNKNOWN_FIELD("UNKNOWN_FIELD", ErrorKind.INVALID, false),
    WRONG_TYPE("WRONG_TYPE", ErrorKind.INVALID, false),
    MISSING_FIELD("MISSING_FIELD", ErrorKind.INVALID, false),
    CONFLICTING_FIELDS("CONFLICTING_FIELDS", ErrorKind.INVALID, false),
    INVALID_PARAMETER("INVALID_PARAMETER", ErrorKind.INVALID, false),
    AMBIGUOUS_QUERY("AMBIGUOUS_QUERY", ErrorKind.INVALID, false),
    MISSING_QUERY("MISSING_QUERY", ErrorKind.INVALID, false),
    INVALID_DIGEST("INVALID_DIGEST", ErrorKind.INVALID, false),
    INVALID_NAME("INVALID_NAME", ErrorKind.INVALID, false),
    INVALID_GIT_SHA("INVALID_GIT_SHA", ErrorKind.INVALID, false),
    INVALID_RUNTIME_VERSION("INVALID_RUNTIME_VERSION", ErrorKind.INVALID, false),
    NOTES_TOO_LONG("NOTES_TOO_LONG", ErrorKind.INVALID, false),
    INVALID_NOTES("INVALID_NOTES", ErrorKind.INVALID, false),
    INVALID_PROVENANCE("INVALID_PROVENANCE", ErrorKind.INVALID, false),
    INVALID_REPOSITORY("INVALID_REPOSITORY", ErrorKind.INVALID, false),
    INVALID_RELEASE("INVALID_RELEASE", ErrorKind.INVALID, false),
    INVALID_FENCE("INVALID_FENCE", ErrorKind.INVALID, false),
    /** A policy document or change through the admin API breaks a rule of the configuration file's policies. */
    INVALID_POLICY("INVALID_POLICY", ErrorKind.INVALID, false),
    /** A stop of the line (freeze) without a reason, with an end in the past or unreadable, or of an unknown group. */
    INVALID_FREEZE("INVALID_FREEZE", ErrorKind.INVALID, false),
    INVALID_REPORT("INVALID_REPORT", ErrorKind.INVALID, false),
    INVALID_NOTIFICATION("INVALID_NOTIFICATION", ErrorKind.INVALID, false),
    INVALID_GRACE_PERIOD("INVALID_GRACE_PERIOD", ErrorKind.INVALID, false),
    INVALID_DRIFT_STATUS("INVALID_DRIFT_STATUS", ErrorKind.INVALID, false),
    /** A webhook subscription (admin API or file) breaks a rule: the sentence names the field. */
    INVALID_SUBSCRIPTION("INVALID_SUBSCRIPTION", ErrorKind.INVALID, false),
    /** A webhook URL whose host is link-local, a metadata service, loopback (unless allowed) or the like. */
    WEBHOOK_ADDRESS_FORBIDDEN("WEBHOOK_ADDRESS_FORBIDDEN", ErrorKind.INVALID, false),

    // 401 / 403: a different token is needed.
    UNAUTHENTICATED("UNAUTHENTICATED", ErrorKind.UNAUTHENTICATED, false),
    FORBIDDEN("FORBIDDEN", ErrorKind.FORBIDDEN, false),
    RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT("RELEASE_NOT_VOUCHED_FOR_ENVIRONMENT", ErrorKind.FORBIDDEN, false),
    /** An OIDC ID token (auth/) that is not well formed, not signed with a pinned algorithm, or whose signature or key does not verify. */
    OIDC_TOKEN_INVALID("OIDC_TOKEN_INVALID", ErrorKind.UNAUTHENTICATED, false),
    OIDC_TOKEN_EXPIRED("OIDC_TOKEN_EXPIRED", ErrorKind.UNAUTHENTICATED, false),
    OIDC_TOKEN_NOT_YET_VALID("OIDC_TOKEN_NOT_YET_VALID", ErrorKind.UNAUTHENTICATED, false),
    OIDC_AUDIENCE_MISMATCH("OIDC_AUDIENCE_MISMATCH", ErrorKind.UNAUTHENTICATED, false),
    OIDC_ISSUER_UNKNOWN("OIDC_ISSUER_UNKNOWN", ErrorKind.UNAUTHENTICATED, false),
    /** A verified OIDC token whose claims match no configured rule: authenticated, granted nothing. */
    OIDC_NO_GRANT("OIDC_NO_GRANT", ErrorKind.FORBIDDEN, false),
    /** 403, not 422: no body can fix it; only who makes the change (a verified CI identity) can. */
    VERIFIED_PROVENANCE_REQUIRED("VERIFIED_PROVENANCE_REQUIRED", ErrorKind.FORBIDDEN, false),
    /** {@code approvals}: the environment needs more approvals of this release or digest; waiting does not bring them. */
    APPROVAL_REQUIRED("APPROVAL_REQUIRED", ErrorKind.FORBIDDEN, false),
    /** A dashboard form POST without the session's CSRF value, with a wrong one, or from another site (Origin). */
    CSRF_REJECTED("CSRF_REJECTED", ErrorKind.FORBIDDEN, false),

    // 404: the URL (or query) names something this server does not have.
    NOT_FOUND("NOT_FOUND", ErrorKind.NOT_FOUND, false),
    UNKNOWN_ENVIRONMENT("UNKNOWN_ENVIRONMENT", ErrorKind.NOT_FOUND, false),
    UNKNOWN_TEMPLATE("UNKNOWN_TEMPLATE", ErrorKind.NOT_FOUND, false),
    UNKNOWN_KIND("UNKNOWN_KIND", ErrorKind.NOT_FOUND, false),
    UNKNOWN_RELEASE("UNKNOWN_RELEASE", ErrorKind.NOT_FOUND, false),
    UNKNOWN_FENCE("UNKNOWN_FENCE", ErrorKind.NOT_FOUND, false),
    /** Unfreeze of a stop this environment does not have, or one already lifted. */
    UNKNOWN_FREEZE("UNKNOWN_FREEZE", ErrorKind.NOT_FOUND, false),
    UNKNOWN_APPROVAL("UNKNOWN_APPROVAL", ErrorKind.NOT_FOUND, false),
    PIN_NOT_FOUND("RUNTIME_PIN_MISSING", ErrorKind.NOT_FOUND, false),
    HOOK_NOT_CONFIGURED("HOOK_NOT_CONFIGURED", ErrorKind.NOT_FOUND, false),
    UNKNOWN_SUBSCRIPTION("UNKNOWN_SUBSCRIPTION", ErrorKind.NOT_FOUND, false),
    /** A redeliver of an event retention removed, that never existed, or that the subscription does not want. */
    UNKNOWN_EVENT("UNKNOWN_EVENT", ErrorKind.NOT_FOUND, false),

    METHOD_NOT_ALLOWED("METHOD_NOT_ALLOWED", ErrorKind.METHOD_NOT_ALLOWED, false),
    BODY_TOO_SLOW("BODY_TOO_SLOW", ErrorKind.TOO_SLOW, false),

    // 409: FENCED clears when the fence is lifted or expires; the others need a different request.
    FENCED("FENCED", ErrorKind.CONFLICT, true),
    /** A freeze window of the environment is active; it clears when the window ends ({@code Retry-After}). */
    FROZEN("FROZEN", ErrorKind.CONFLICT, true),
    /** Stop-the-line: a person froze the environment (or one group) until it is lifted or its end passes. */
    LINE_STOPPED("LINE_STOPPED", ErrorKind.CONFLICT, true),
    /** {@code requires.min_converged}: too few of the upstream's live instances run it yet; it clears as they converge. */
    UPSTREAM_NOT_CONVERGED("UPSTREAM_NOT_CONVERGED", ErrorKind.CONFLICT, true),
    DIGEST_CONFLICT("DIGEST_CONFLICT", ErrorKind.CONFLICT, false),
    RELEASE_CONFLICT("RELEASE_CONFLICT", ErrorKind.CONFLICT, false),
    NOTHING_TO_ROLL_BACK("NOTHING_TO_ROLL_BACK", ErrorKind.CONFLICT, false),
    /** An approval given where the environment has no {@code approvals} policy: it would count for nothing. */
    APPROVALS_NOT_CONFIGURED("APPROVALS_NOT_CONFIGURED", ErrorKind.CONFLICT, false),
    /** A revoke of an approval already used by the change it allowed, already revoked, or expired. */
    APPROVAL_NOT_REVOCABLE("APPROVAL_NOT_REVOCABLE", ErrorKind.CONFLICT, false),
    /** Resolve in an environment with {@code on_image_gone: refuse}: the audit found the pinned image gone; promote one that exists. */
    IMAGE_GONE("IMAGE_GONE", ErrorKind.CONFLICT, false),
    TEMPLATE_EXISTS("TEMPLATE_EXISTS", ErrorKind.CONFLICT, false),
    KIND_TAKEN("KIND_TAKEN", ErrorKind.CONFLICT, false),
    SUBSCRIPTION_EXISTS("SUBSCRIPTION_EXISTS", ErrorKind.CONFLICT, false),
    /** {@code events.webhooks.max_subscriptions} are there already: delete one, or raise the limit. */
    SUBSCRIPTION_LIMIT("SUBSCRIPTION_LIMIT", ErrorKind.CONFLICT, false),
    /** The configuration file owns this subscription: change the file, not the API. */
    SUBSCRIPTION_FROM_CONFIG("SUBSCRIPTION_FROM_CONFIG", ErrorKind.CONFLICT, false),
    /** Auto-promotion only (never an HTTP answer): a person set the pin by hand; their next promote releases it. */
    HELD("HELD", ErrorKind.CONFLICT, false),
    /** The chain was damaged outside Lockstep; an operator must repair it before any promote works. */
    HISTORY_HEAD_MISSING("HISTORY_HEAD_MISSING", ErrorKind.CONFLICT, false),
    /** {@code requires}: the change is current in the upstream but has not soaked there long enough yet. */
    SOAKING("SOAKING", ErrorKind.CONFLICT, true),
    /** Start-up only (never an HTTP answer): another server holds the data directory until it exits. */
    DATA_DIRECTORY_IN_USE("DATA_DIRECTORY_IN_USE", ErrorKind.CONFLICT, true),

    // 413 / 414 / 431
    BODY_TOO_LARGE("BODY_TOO_LARGE", ErrorKind.TOO_LARGE, false),
    BATCH_TOO_LARGE("BATCH_TOO_LARGE", ErrorKind.TOO_LARGE, false),
    URI_TOO_LONG("URI_TOO_LONG", ErrorKind.URI_TOO_LONG, false),
    HEADERS_TOO_LARGE("HEADERS_TOO_LARGE", ErrorKind.HEADERS_TOO_LARGE, false),

    // 422: a body (or the seed contract) refers to something that is not there or not allowed.
    UNKNOWN_TEMPLATE_REFERENCED("UNKNOWN_TEMPLATE", ErrorKind.UNPROCESSABLE, false),
    UNKNOWN_KIND_REFERENCED("UNKNOWN_KIND", ErrorKind.UNPROCESSABLE, false),
    UNKNOWN_ENVIRONMENT_REFERENCED("UNKNOWN_ENVIRONMENT", ErrorKind.UNPROCESSABLE, false),
    UNKNOWN_GROUP("UNKNOWN_GROUP", ErrorKind.UNPROCESSABLE, false),
    /** Resolve and promote fail closed on a missing pin (never a fallback to a tag), unlike GET of one pin. */
    RUNTIME_PIN_MISSING("RUNTIME_PIN_MISSING", ErrorKind.UNPROCESSABLE, false),
    TEMPLATE_NOT_PINNABLE("TEMPLATE_NOT_PINNABLE", ErrorKind.UNPROCESSABLE, false),
    INCOMPLETE_RELEASE("INCOMPLETE_RELEASE", ErrorKind.UNPROCESSABLE, false),
    PROVENANCE_REQUIRED("PROVENANCE_REQUIRED", ErrorKind.UNPROCESSABLE, false),
    DIGEST_NOT_IN_HISTORY("DIGEST_NOT_IN_HISTORY", ErrorKind.UNPROCESSABLE, false),
    REGISTRY_NOT_CONFIGURED("REGISTRY_NOT_CONFIGURED", ErrorKind.UNPROCESSABLE, false),
    IMAGE_NOT_FOUND("IMAGE_NOT_FOUND", ErrorKind.UNPROCESSABLE, false),
    /** {@code requires}: the upstream environment does not run what this change would pin. */
    NOT_IN_UPSTREAM("NOT_IN_UPSTREAM", ErrorKind.UNPROCESSABLE, false),

    INTERNAL("INTERNAL", ErrorKind.INTERNAL, false),
    NOT_IMPLEMENTED("NOT_IMPLEMENTED", ErrorKind.NOT_IMPLEMENTED, false),

    // 503: something outside the request is down or busy and recovers by itself.
    STORE_UNAVAILABLE("STORE_UNAVAILABLE", ErrorKind.UNAVAILABLE, true),
    STORE_DISK_FULL("STORE_DISK_FULL", ErrorKind.UNAVAILABLE, true),
    STORE_READ_ONLY("STORE_READ_ONLY", ErrorKind.UNAVAILABLE, true),
    STORE_WRITE_REFUSED("STORE_WRITE_REFUSED", ErrorKind.UNAVAILABLE, true),
    SERVER_BUSY("SERVER_BUSY", ErrorKind.UNAVAILABLE, true),
    REGISTRY_UNAVAILABLE("REGISTRY_UNAVAILABLE", ErrorKind.UNAVAILABLE, true),
    /** {@code requires} with a remote upstream: its server could not be read, so whether it runs the change is unknown. */
    UPSTREAM_UNAVAILABLE("UPSTREAM_UNAVAILABLE", ErrorKind.UNAVAILABLE, true),
    /** An OIDC issuer's discovery document or keys cannot be fetched, so its tokens cannot be checked (fails closed). */
    ISSUER_UNAVAILABLE("ISSUER_UNAVAILABLE", ErrorKind.UNAVAILABLE, true),

    // 410: a resume from a cursor whose following events retention deleted; resuming later cannot help.
    EVENTS_EXPIRED("EVENTS_EXPIRED", ErrorKind.GONE, false);

    private static final Map<String, Boolean> RETRYABLE_BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Problem::code, Problem::retryable, (a, b) -> a && b));

    private final String code;
    private final ErrorKind kind;
    private final boolean retryable;

    Problem(String code, ErrorKind kind, boolean retryable) {
        this.code = code;
        this.kind = kind;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Whether the same request, sent again unchanged, may succeed once time passes. */
    public boolean retryable() {
        return retryable;
    }

    /** The entries carrying {@code code} (one, or two for a code that is both 404 and 422). */
    public static List<Problem> withCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).toList();
    }

    public static Set<String> codes() {
        return RETRYABLE_BY_CODE.keySet();
    }

    /** Retryable per the catalogue; a code outside it (none should be) is not worth retrying. */
    public static boolean isRetryable(String code) {
        return code != null && RETRYABLE_BY_CODE.getOrDefault(code, false);
    }
}
