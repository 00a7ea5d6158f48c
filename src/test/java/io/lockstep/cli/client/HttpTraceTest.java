package io.lockstep.cli.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HttpTraceTest {
    @Test
    void authorizationIsRedactedWhateverItsCase() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpTrace trace = HttpTrace.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        trace.request("prod", HttpRequest.newBuilder(URI.create("http://h/x")).header("authorization", "Bearer s3cr3t")
                .header("X-Api-Token", "t0k3n").GET().build(), null);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Bearer <redacted>").contains("<redacted>")
                .doesNotContain("s3cr3t").doesNotContain("t0k3n");
    }

    @Test
    void onlyRetryable409sAreRetried() {
        CallRetry p = new CallRetry(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5));
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(p.retryable(new ApiResponse(409, "", m.createObjectNode().put("code", "FENCED"), null))).isTrue();
        assertThat(p.retryable(new ApiResponse(409, "", m.createObjectNode().put("code", "DIGEST_CONFLICT"), null))).isFalse();
        for (int status : new int[]{400, 401, 403, 422, 503}) {
            assertThat(p.retryable(new ApiResponse(status, "", m.createObjectNode(), null))).isFalse();
        }
        assertThat(p.retryable(ApiResponse.unreachable("refused"))).isFalse();
    }
}
