package io.lockstep.service.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.auth.ApiToken;
import io.lockstep.domain.Digest;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.FleetSettings;
import io.lockstep.domain.InstanceReport;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Names;
import io.lockstep.domain.Template;
import io.lockstep.service.Environments;
import io.lockstep.service.PinSnapshot;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code {"reports":[…]}} into validated {@link InstanceReport}s, all or nothing: the first bad
 * report rejects the whole batch with an error naming its index and field, so an agent never has
 * to guess which half of a batch landed.
 */
final class ReportBatchParser {
    static final int MAX_INSTANCE_ID = 200;
    /** Pod names, UUIDs and ECS task ARNs fit; nothing that needs escaping in a URL, a label or a log line. */
    private static final Pattern INSTANCE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$");
    private static final Set<String> FIELDS = Set.of("instance_id", "environment", "template", "region", "kind",
            "digest", "observed_at");

    private final Environments environments;
    private final FleetSettings settings;

    ReportBatchParser(Environments environments, FleetSettings settings) {
        this.environments = environments;
        this.settings = settings;
    }

    List<InstanceReport> parse(JsonNode body, PinSnapshot snapshot, ApiToken caller, Instant now) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("reports")) {
                throw new LockstepException(Problem.UNKNOWN_FIELD, "Unknown field " + Names.quoteForError(f)
                        + "; the body is {\"reports\": [...]}; no report of this batch was stored.");
            }
        }
        JsonNode list = body.get("reports");
        if (list == null || !list.isArray()) {
            throw new LockstepException(Problem.MISSING_FIELD, "reports is required and must be a list of instance reports; nothing was stored.");
        }
        if (list.size() > settings.maxBatchSize()) {
            throw new LockstepException(Problem.BATCH_TOO_LARGE, "A batch holds at most "
                    + settings.maxBatchSize() + " reports; got " + list.size() + ". Split it; no report of this batch was stored.",
                    Map.of("max_batch_size", settings.maxBatchSize()));
        }
        Instant latest = now.plus(settings.maxClockSkew());
        List<InstanceReport> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(report(i, list.get(i), snapshot, caller, latest));
        }
        return out;
    }

    private InstanceReport report(int i, JsonNode r, PinSnapshot snapshot, ApiToken caller, Instant latest) {
        if (!r.isObject()) {
            throw bad(i, null, "must be an object");
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad(i, f, "is not a report field (allowed: instance_id, environment, template, region, kind,"
                        + " digest, observed_at)");
            }
        }
        String instanceId = required(i, r, "instance_id");
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            throw bad(i, "instance_id", "must be 1-" + MAX_INSTANCE_ID + " characters of letters, digits, '.', '_',"
                    + " ':', '/', '@' or '-', starting with a letter or digit; got " + Names.quoteForError(instanceId));
        }
        String env = required(i, r, "environment");
        if (!Names.isValid(env)) {
            throw bad(i, "environment", "is not a valid environment name: " + Names.quoteForError(env));
        }
        if (environments.all().stream().noneMatch(e -> e.name().equals(env))) {
            throw unknown(i, "environment", Problem.UNKNOWN_ENVIRONMENT_REFERENCED, "names no environment this server hosts: " + env);
        }
        if (!caller.allowsEnvironment(env)) {
            throw new LockstepException(Problem.FORBIDDEN, "reports[" + i + "]: token " + caller.name()
                    + " may not report for environment " + env + "; nothing was stored.", Map.of("index", i));
        }
        String template = template(i, r, snapshot);
        String region = optional(i, r, "region");
        if (region == null) {
            region = Names.DEFAULT_REGION;
        } else if (!Names.isValid(region)) {
            throw bad(i, "region", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-'; got " + Names.quoteForError(region));
        }
        String digest = required(i, r, "digest");
        if (!Digest.isValid(digest)) {
            throw bad(i, "digest", "must be sha256: followed by 64 lower-case hex characters; got " + Names.quoteForError(digest));
        }
        String observed = required(i, r, "observed_at");
        Instant observedAt;
        try {
            observedAt = OffsetDateTime.parse(observed).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(i, "observed_at", "must be an RFC 3339 time such as 2026-06-21T10:19:30Z; got " + Names.quoteForError(observed));
        }
        if (observedAt.isAfter(latest)) {
            throw bad(i, "observed_at", "is " + observedAt + ", in the future beyond the allowed clock skew of "
                    + settings.maxClockSkew().toSeconds() + "s (server time " + latest.minus(settings.maxClockSkew())
                    + "); fix the instance's clock");
        }
        return new InstanceReport(instanceId, env, template, region, digest, observedAt);
    }

    /** {@code template}, or the template serving {@code kind}; both given must agree. */
    private static String template(int i, JsonNode r, PinSnapshot snapshot) {
        String name = optional(i, r, "template");
        String kind = optional(i, r, "kind");
        if (name == null && kind == null) {
            throw bad(i, "template", "is required (or give kind, the workload kind that maps to a template)");
        }
        Template byName = null;
        if (name != null) {
            byName = Names.isValid(name) ? snapshot.template(name) : null;
            if (byName == null) {
                throw unknown(i, "template", Problem.UNKNOWN_TEMPLATE_REFERENCED, "names no template: " + Names.quoteForError(name));
            }
        }
        if (kind != null) {
            Template byKind = Names.isValid(kind) ? snapshot.templateForKind(kind) : null;
            if (byKind == null) {
                throw unknown(i, "kind", Problem.UNKNOWN_KIND_REFERENCED, "names no workload kind any template serves: " + Names.quoteForError(kind));
            }
            if (byName != null && !byName.name().equals(byKind.name())) {
                throw bad(i, "kind", "is served by template " + byKind.name() + ", not " + byName.name());
            }
            return byKind.name();
        }
        return byName.name();
    }

    private static String required(int i, JsonNode r, String field) {
        String v = optional(i, r, field);
        if (v == null || v.isEmpty()) {
            throw bad(i, field, "is required");
        }
        return v;
    }

    private static String optional(int i, JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(i, field, "must be a string");
        }
        return v.textValue();
    }

    private static LockstepException bad(int i, String field, String problem) {
        return new LockstepException(Problem.INVALID_REPORT, where(i, field) + " " + problem
                + "; no report of this batch was stored.", details(i, field));
    }

    private static LockstepException unknown(int i, String field, Problem problemCode, String problem) {
        return new LockstepException(problemCode, where(i, field) + " " + problem
                + "; no report of this batch was stored.", details(i, field));
    }

    private static String where(int i, String field) {
        return "reports[" + i + "]" + (field == null ? "" : "." + field);
    }

    private static Map<String, Object> details(int i, String field) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("index", i);
        if (field != null) {
            d.put("field", field);
        }
        return d;
    }
}
