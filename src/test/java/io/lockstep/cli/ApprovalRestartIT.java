package io.lockstep.cli;

import io.lockstep.auth.TokenRegistry;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approvals are durable (issue 12 item 6), end to end with the packaged jar as server and CLI, on both
 * stores: a promote refused for want of approval files a request, {@code lockstep approve} gives one,
 * another is revoked; after the server process is stopped and started on the same data, the pending
 * request and the live approval are still listed and the same promotes get the same decisions.
 */
class ApprovalRestartIT {
    private static final String ALICE = "test-alice-approver-secret-31c8";
    private static final String BOB = "test-bob-approver-secret-9f02";
    @TempDir
    Path dir;

    private static String yaml() {
        return TestConfig.yaml(null)
                .replace("    upstream: staging\n", "    upstream: staging\n    approvals: {count: 1}\n")
                .replace("tokens:\n", "tokens:\n"
                        + "  - {name: alice, scopes: [approve], secret_sha256: " + sha(ALICE) + "}\n"
                        + "  - {name: bob, scopes: [approve], secret_sha256: " + sha(BOB) + "}\n");
    }

    private static String sha(String secret) {
        return HexFormat.of().formatHex(TokenRegistry.sha256(secret));
    }

    private static Http.Response promote(Http http, String template, String digest) {
        return http.post("/api/v1/environments/prod/pins/" + template + "/promote", TestConfig.CI,
                Json.obj("image_digest", digest));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void approvalsAndRequestsSurviveARestartAndGiveTheSameDecisions(StoreKind kind) {
        ServerProcess.Spec spec = ServerProcess.spec(dir.resolve("logs")).database(kind.create(dir.resolve("db")))
                .config(yaml());
        String t = Unique.name("appr");
        String approved = Unique.digest();
        String revoked = Unique.digest();
        try (ServerProcess first = spec.start()) {
            Http http = first.http();
            Http.Response tpl = http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", t,
                    "repository", "registry.example.com/test/" + t));
            assertThat(tpl.status()).as(tpl.body()).isEqualTo(201);
            assertThat(promote(http, t, approved).status()).isEqualTo(403);

            Cli.Run byReader = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER)
                    .run("approve", "--template", t, "--digest", approved, "--target", "prod=" + first.url());
            assertThat(byReader.exit()).as(byReader.all()).isEqualTo(1);
            assertThat(byReader.stderr()).contains("403").contains("FORBIDDEN");
            Cli.Run neither = new Cli().env("LOCKSTEP_TOKEN", ALICE).run("approve", "--target", "prod=" + first.url());
            assertThat(neither.exit()).as(neither.all()).isEqualTo(2);

            Cli.Run approve = new Cli().env("LOCKSTEP_TOKEN", ALICE)
                    .run("approve", "--template", t, "--digest", approved, "--notes", "checked", "--target",
                            "prod=" + first.url());
            assertThat(approve.exit()).as(approve.all()).isZero();
            assertThat(approve.stdout()).contains("approved " + t + "@" + approved + " as alice");

            String id = http.post("/api/v1/environments/prod/approvals", BOB, Json.obj("template", t, "digest", revoked))
                    .json().path("id").asText();
            Cli.Run revoke = new Cli().env("LOCKSTEP_TOKEN", BOB).run("revoke-approval", id, "--target", "prod=" + first.url());
            assertThat(revoke.exit()).as(revoke.all()).isZero();
            assertThat(first.stop()).isNotNegative();
        }

        try (ServerProcess second = spec.start()) {
            Http http = second.http();
            Cli.Run list = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER)
                    .run("approvals", "--target", "prod=" + second.url());
            assertThat(list.exit()).as(list.all()).isZero();
            assertThat(list.stdout()).as("the pending request survived").contains(t + "@" + approved).contains("ci");
            assertThat(list.stdout()).as("the live approval survived").contains("alice");
            assertThat(list.stdout()).as("the revoked one is not live").doesNotContain(revoked);

            assertThat(promote(http, t, revoked).status()).as("revoked before the restart: still refused").isEqualTo(403);
            Http.Response ok = promote(http, t, approved);
            assertThat(ok.status()).as(ok.body()).isIn(200, 201);
            Http.Response again = promote(http, t, approved);
            assertThat(again.status()).as("a repeat moves nothing and needs no approval: " + again.body()).isEqualTo(200);
            assertThat(again.json().path("result").asText()).isEqualTo("unchanged");
            Http.Response next = promote(http, t, Unique.digest());
            assertThat(next.status()).as("the approval was used").isEqualTo(403);
            assertThat(next.json().path("code").asText()).isEqualTo("APPROVAL_REQUIRED");
        }
    }
}
