package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance table of malformed requests: each gets the right 4xx with a JSON error body, none
 * is a 500 or shows a stack trace, and sending the whole table changes no pin, history row, template
 * or release. Each test stands alone: none relies on another having run first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final String HEX = "19f3175a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6";
    private static final String GOOD = "sha256:" + HEX;
    private static final String JSON = "application/json";
    private static final String PROMOTE = Api.PROMOTE;
    private static final String NATIVE = "/api/v1/environments/prod/pins/claude-code";
    private static final String HISTORY = NATIVE + "/history";

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();
    private final Set<StoreKind> seeded = EnumSet.noneOf(StoreKind.class);

    /** One malformed request and the answer it must get. */
    record Case(String what, String method, String path, String contentType, String body, String token,
                int status, String code) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Case promote(String what, String body, int status, String code) {
        return new Case(what, "POST", PROMOTE, JSON, body, TestConfig.CI, status, code);
    }

    private static String seedBody(String template, String digest) {
        return "{\"template_name\":\"" + template + "\",\"image_digest\":\"" + digest + "\"}";
    }

    private static String withField(String field, String rawJsonValue) {
        return "{\"template_name\":\"claude-code\",\"image_digest\":\"" + GOOD + "\",\"" + field + "\":" + rawJsonValue + "}";
    }

    static List<Case> table() {
        List<Case> t = new ArrayList<>();
        // Digests: exactly sha256 + 64 lower-case hex, nothing else.
        t.add(promote("upper-case hex digest", seedBody("claude-code", "sha256:" + HEX.toUpperCase()), 400, "INVALID_DIGEST"));
        t.add(promote("63-char digest", seedBody("claude-code", "sha256:" + HEX.substring(1)), 400, "INVALID_DIGEST"));
        t.add(promote("65-char digest", seedBody("claude-code", GOOD + "a"), 400, "INVALID_DIGEST"));
        t.add(promote("sha512 digest", seedBody("claude-code", "sha512:" + HEX + HEX), 400, "INVALID_DIGEST"));
        t.add(promote("digest with leading space", seedBody("claude-code", " " + GOOD), 400, "INVALID_DIGEST"));
        t.add(promote("digest with trailing newline", seedBody("claude-code", GOOD + "\\n"), 400, "INVALID_DIGEST"));
        t.add(promote("empty digest", seedBody("claude-code", ""), 400, "INVALID_DIGEST"));
        t.add(promote("digest without algorithm", seedBody("claude-code", HEX), 400, "INVALID_DIGEST"));
        t.add(promote("digest with a tag", seedBody("claude-code", "latest"), 400, "INVALID_DIGEST"));
        t.add(promote("non-hex digest", seedBody("claude-code", "sha256:" + "g".repeat(64)), 400, "INVALID_DIGEST"));
        t.add(promote("malformed expected_digest", withField("expected_digest", "\"sha256:abc\""), 400, "INVALID_DIGEST"));
        t.add(promote("number digest", "{\"template_name\":\"claude-code\",\"image_digest\":12345}", 400, "WRONG_TYPE"));
        // Names: injection strings, path tricks, markup, unicode and homoglyphs.
        t.add(promote("SQL injection template", seedBody("'; DROP TABLE pins;--", GOOD), 400, "INVALID_NAME"));
        t.add(promote("path traversal template", seedBody("../etc", GOOD), 400, "INVALID_NAME"));
        t.add(promote("script tag template", seedBody("<script>alert(1)</script>", GOOD), 400, "INVALID_NAME"));
        t.add(promote("Cyrillic homoglyph template", seedBody("\u0441laude-code", GOOD), 400, "INVALID_NAME"));
        t.add(promote("zero-width space in template", seedBody("claude-code\u200b", GOOD), 400, "INVALID_NAME"));
        t.add(promote("full-width template", seedBody("\uff43\uff4c\uff41\uff55\uff44\uff45", GOOD), 400, "INVALID_NAME"));
        t.add(promote("emoji template", seedBody("claude-\ud83d\ude80", GOOD), 400, "INVALID_NAME"));
        t.add(promote("upper-case region", withField("region", "\"EU-West\""), 400, "INVALID_NAME"));
        t.add(promote("SQL injection region", withField("region", "\"global' OR '1'='1\""), 400, "INVALID_NAME"));
        t.add(promote("malformed environment in the body", withField("environment", "\"prod; DROP TABLE pins\""), 400, "INVALID_NAME"));
        t.add(promote("environment that does not exist", withField("environment", "\"qa\""), 404, "UNKNOWN_ENVIRONMENT"));
        t.add(promote("git_sha injection", withField("git_sha", "\"19f3175; rm -rf /\""), 400, "INVALID_GIT_SHA"));
        t.add(promote("runtime_version with spaces", withField("runtime_version", "\"1.0 beta\""), 400, "INVALID_RUNTIME_VERSION"));
        // Bodies that are not one JSON object.
        t.add(promote("empty body", "", 400, "EMPTY_BODY"));
        t.add(promote("JSON array body", "[" + seedBody("claude-code", GOOD) + "]", 400, "MALFORMED_JSON"));
        t.add(promote("null body", "null", 400, "MALFORMED_JSON"));
        t.add(promote("string body", "\"claude-code\"", 400, "MALFORMED_JSON"));
        t.add(promote("truncated JSON", "{\"template_name\":", 400, "MALFORMED_JSON"));
        t.add(promote("trailing garbage", seedBody("claude-code", GOOD) + " garbage", 400, "MALFORMED_JSON"));
        t.add(promote("two objects", seedBody("claude-code", GOOD) + seedBody("claude-code", GOOD), 400, "MALFORMED_JSON"));
        t.add(promote("duplicate keys", "{\"template_name\":\"hermes\",\"template_name\":\"claude-code\",\"image_digest\":\""
                + GOOD + "\"}", 400, "MALFORMED_JSON"));
        t.add(promote("single-quoted JSON", "{'template_name':'claude-code','image_digest':'" + GOOD + "'}", 400, "MALFORMED_JSON"));
        t.add(promote("JSON with a comment", "{/* hi */\"template_name\":\"claude-code\",\"image_digest\":\"" + GOOD + "\"}", 400, "MALFORMED_JSON"));
        t.add(promote("NaN literal", withField("notes", "NaN"), 400, "MALFORMED_JSON"));
        t.add(promote("deeply nested value", withField("notes", "[".repeat(5000) + "]".repeat(5000)), 400, "MALFORMED_JSON"));
        t.add(promote("huge body", withField("notes", "\"" + "x".repeat(100 * 1024) + "\""), 413, "BODY_TOO_LARGE"));
        t.add(new Case("text/plain body", "POST", PROMOTE, "text/plain", seedBody("claude-code", GOOD), TestConfig.CI, 400, "UNSUPPORTED_MEDIA_TYPE"));
        t.add(new Case("form-urlencoded body", "POST", PROMOTE, "application/x-www-form-urlencoded",
                "template_name=claude-code&image_digest=" + GOOD, TestConfig.CI, 400, "UNSUPPORTED_MEDIA_TYPE"));
        t.add(new Case("multipart body", "POST", PROMOTE, "multipart/form-data; boundary=x", "--x--", TestConfig.CI, 400, "UNSUPPORTED_MEDIA_TYPE"));
        // Wrong types and field rules.
        t.add(promote("object notes", withField("notes", "{\"a\":1}"), 400, "WRONG_TYPE"));
        t.add(promote("array template_name", "{\"template_name\":[\"claude-code\"],\"image_digest\":\"" + GOOD + "\"}", 400, "WRONG_TYPE"));
        t.add(promote("boolean region", withField("region", "true"), 400, "WRONG_TYPE"));
        t.add(promote("notes over 500 characters", withField("notes", "\"" + "n".repeat(501) + "\""), 400, "NOTES_TOO_LONG"));
        t.add(promote("NUL in notes", withField("notes", "\"a\\u0000b\""), 400, "INVALID_NOTES"));
        t.add(promote("typo expected_digets", withField("expected_digets", "\"" + GOOD + "\""), 400, "UNKNOWN_FIELD"));
        t.add(promote("conflicting digest and image_digest", withField("digest", "\"sha256:" + "0".repeat(64) + "\""), 400, "CONFLICTING_FIELDS"));
        t.add(promote("provenance as a string", withField("provenance", "\"ci\""), 400, "WRONG_TYPE"));
        t.add(promote("provenance with a bad key", withField("provenance", "{\"CI Run\":\"1\"}"), 400, "INVALID_PROVENANCE"));
        t.add(promote("provenance with a number value", withField("provenance", "{\"ci_run\":1}"), 400, "WRONG_TYPE"));
        t.add(promote("missing template_name", "{\"image_digest\":\"" + GOOD + "\"}", 400, "MISSING_FIELD"));
        // The native API: names in the path, query parameters, rollback and release bodies.
        t.add(new Case("SQL injection in path", "POST", "/api/v1/environments/prod/pins/%27%3B%20DROP%20TABLE%20pins%3B--/promote",
                JSON, "{\"image_digest\":\"" + GOOD + "\"}", TestConfig.CI, 400, "INVALID_NAME"));
        t.add(new Case("upper-case environment in path", "POST", "/api/v1/environments/PROD/pins/claude-code/promote",
                JSON, "{\"image_digest\":\"" + GOOD + "\"}", TestConfig.CI, 400, "INVALID_NAME"));
        t.add(new Case("unknown environment in path", "POST", "/api/v1/environments/qa/pins/claude-code/promote",
                JSON, "{\"image_digest\":\"" + GOOD + "\"}", TestConfig.CI, 404, "UNKNOWN_ENVIRONMENT"));
        t.add(new Case("rollback to malformed digest", "POST", NATIVE + "/rollback", JSON, "{\"to_digest\":\"sha256:XYZ\"}",
                TestConfig.CI, 400, "INVALID_DIGEST"));
        t.add(new Case("limit=abc", "GET", HISTORY + "?limit=abc", null, null, TestConfig.READER, 400, "INVALID_PARAMETER"));
        t.add(new Case("limit=0", "GET", HISTORY + "?limit=0", null, null, TestConfig.READER, 400, "INVALID_PARAMETER"));
        t.add(new Case("limit=100000", "GET", HISTORY + "?limit=100000", null, null, TestConfig.READER, 400, "INVALID_PARAMETER"));
        t.add(new Case("limit=-1", "GET", HISTORY + "?limit=-1", null, null, TestConfig.READER, 400, "INVALID_PARAMETER"));
        t.add(new Case("before=xyz", "GET", HISTORY + "?before=xyz", null, null, TestConfig.READER, 400, "INVALID_PARAMETER"));
        t.add(new Case("history of region ../etc", "GET", HISTORY + "?region=../etc", null, null, TestConfig.READER, 400, "INVALID_NAME"));
        t.add(new Case("resolve by template and kind", "GET", "/api/v1/resolve?template=claude-code&kind=workspace", null, null,
                TestConfig.READER, 400, "AMBIGUOUS_QUERY"));
        t.add(new Case("resolve with neither", "GET", "/api/v1/resolve?environment=prod", null, null, TestConfig.READER, 400, "MISSING_QUERY"));
        t.add(new Case("resolve injection template", "GET", "/api/v1/resolve?template=%27%3B%20DROP%20TABLE%20pins%3B--", null, null,
                TestConfig.READER, 400, "INVALID_NAME"));
        t.add(new Case("resolve script environment", "GET", "/api/v1/resolve?environment=%3Cscript%3E&template=claude-code", null, null,
                TestConfig.READER, 400, "INVALID_NAME"));
        t.add(new Case("resolve homoglyph kind", "GET", "/api/v1/resolve?kind=w%D0%BErkspace", null, null, TestConfig.READER, 400, "INVALID_NAME"));
        t.add(new Case("release with a malformed digest", "POST", "/api/v1/releases", JSON,
                "{\"group\":\"runtime\",\"runtime_version\":\"9.0.0\",\"images\":{\"claude-code\":\"sha256:abc\"}}",
                TestConfig.CI, 400, "INVALID_DIGEST"));
        t.add(new Case("release images as a list", "POST", "/api/v1/releases", JSON,
                "{\"group\":\"runtime\",\"runtime_version\":\"9.0.0\",\"images\":[\"" + GOOD + "\"]}", TestConfig.CI, 400, "WRONG_TYPE"));
        t.add(new Case("template kinds as a string", "POST", "/api/v1/templates", JSON,
                "{\"name\":\"new-one\",\"repository\":\"ghcr.io/a/b\",\"kinds\":\"workspace\"}", TestConfig.ADMIN, 400, "WRONG_TYPE"));
        t.add(new Case("template with injection name", "POST", "/api/v1/templates", JSON,
                "{\"name\":\"x'); DELETE FROM templates;--\",\"repository\":\"ghcr.io/a/b\"}", TestConfig.ADMIN, 400, "INVALID_NAME"));
        t.add(new Case("fence ttl as a string", "POST", "/api/v1/environments/prod/fences", JSON,
                "{\"reason\":\"x\",\"ttl_seconds\":\"60\"}", TestConfig.ADMIN, 400, "WRONG_TYPE"));
        t.add(new Case("fence ttl of a year", "POST", "/api/v1/environments/prod/fences", JSON,
                "{\"reason\":\"x\",\"ttl_seconds\":31536000}", TestConfig.ADMIN, 400, "INVALID_FENCE"));
        t.add(new Case("encoded slash in template", "GET", "/api/v1/environments/prod/pins/..%2Fetc/history", null, null,
                TestConfig.READER, 400, "INVALID_NAME"));
        // Jetty itself refuses a NUL in the path before routing; the answer is still the JSON error body.
        t.add(new Case("NUL in template", "GET", "/api/v1/environments/prod/pins/claude%00code", null, null,
                TestConfig.READER, 400, "BAD_REQUEST"));
        t.add(new Case("very long template", "GET", "/api/v1/environments/prod/pins/" + "a".repeat(200), null, null,
                TestConfig.READER, 400, "INVALID_NAME"));
        t.add(new Case("URI too long for the server", "GET", "/api/v1/environments/prod/pins/" + "a".repeat(20000), null, null,
                TestConfig.READER, 414, "URI_TOO_LONG"));
        t.add(new Case("oversized Authorization header", "GET", "/cp/admin/runtime-image", null, null, "x".repeat(20000),
                431, "HEADERS_TOO_LARGE"));
        t.add(new Case("utf-16 charset", "POST", PROMOTE, "application/json; charset=utf-16", seedBody("claude-code", "x"),
                TestConfig.CI, 400, "INVALID_DIGEST"));
        // Routes and methods.
        t.add(new Case("unknown route", "GET", "/api/v1/nope", null, null, TestConfig.READER, 404, "NOT_FOUND"));
        t.add(new Case("unknown route without token", "POST", "/cp/admin/runtime-image/promote/now", JSON, "{}", null, 404, "NOT_FOUND"));
        t.add(new Case("GET on promote", "GET", PROMOTE, null, null, TestConfig.CI, 405, "METHOD_NOT_ALLOWED"));
        t.add(new Case("PUT on promote", "PUT", PROMOTE, JSON, seedBody("claude-code", GOOD), TestConfig.CI, 405, "METHOD_NOT_ALLOWED"));
        t.add(new Case("DELETE on resolve", "DELETE", "/api/v1/resolve", null, null, TestConfig.ADMIN, 405, "METHOD_NOT_ALLOWED"));
        return t;
    }

    static Stream<Arguments> cases() {
        return Stream.of(StoreKind.values()).flatMap(store -> table().stream().map(c -> Arguments.of(store, c)));
    }

    /** The store's shared server, with pins for malformed requests to (wrongly) change. */
    private TestServer server(StoreKind store) {
        TestServer s = servers.of(store);
        if (seeded.add(store)) {
            Api.promoteOk(s, "claude-code", TestConfig.digest("state-1"));
            Api.promoteOk(s, "platform-agent", TestConfig.digest("state-2"), "environment", "staging");
            Api.promoteOk(s, "claude-code", TestConfig.digest("state-3"), "region", "eu-west");
        }
        return s;
    }

    private static Http.Response send(TestServer s, Case c) {
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(c.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s.url() + c.path())).method(c.method(), body);
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        return s.http.send(request, c.token());
    }

    /** Everything a malformed request could have changed, read through the API. */
    private static String state(TestServer s) {
        StringBuilder out = new StringBuilder();
        for (String path : new String[]{"/cp/admin/runtime-image?environment=prod", "/cp/admin/runtime-image?environment=staging",
                "/api/v1/templates", "/api/v1/releases", "/api/v1/environments/prod/fences", "/api/v1/history/verify"}) {
            Http.Response r = s.http.get(path, TestConfig.ADMIN);
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
            out.append(path).append(" → ").append(r.body()).append('\n');
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void answersWithTheRight4xx(StoreKind store, Case c) {
        Api.assertError(send(server(store), c), c.status(), c.code());
    }

    /** Sends the whole table itself, between two reads of the state, so it holds run alone or in any order. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theWholeTableChangesNothing(StoreKind store) {
        TestServer s = server(store);
        String before = state(s);

        for (Case c : table()) {
            send(s, c); // each answer is checked by answersWithTheRight4xx; here only the state counts
        }

        assertThat(state(s)).isEqualTo(before);
        JsonNode verify = s.http.get("/api/v1/history/verify", TestConfig.READER).json();
        assertThat(verify.path("valid").asBoolean()).isTrue();
    }
}
