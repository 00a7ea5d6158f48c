package io.lockstep.cli;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.lockstep.cli.TwoControlPlanes.newDigest;
import static io.lockstep.cli.TwoControlPlanes.oldDigest;
import static org.assertj.core.api.Assertions.assertThat;

/** The other client commands (plan, promote, pins, history, rollback, resolve) and the read-back check, as the real jar. */
class ClientCommandsIT extends TwoControlPlanesBase {

    private String[] args(String command, String... extra) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(List.of(extra));
        a.addAll(List.of(cps.targets()));
        return a.toArray(String[]::new);
    }

    @Test
    void planIsReadOnlyAndNamesEveryVerdict() throws Exception {
        // staging already has claude-code at the release; prod has no hermes row in region eu.
        cps.staging.http.post("/api/v1/environments/staging/pins/claude-code/promote", TestConfig.ADMIN,
                "{\"image_digest\":\"" + newDigest("claude-code") + "\"}");
        Path release = cps.release("plan.yaml", Files.readString(cps.seedRelease()) + "  ghost: " + newDigest("ghost") + "\n");
        String before = TwoControlPlanes.state(cps.staging) + TwoControlPlanes.state(cps.prod);

        Cli.Run run = cli().run(args("plan", "--release", release.toString()));

        // ghost is in no group: publish refuses the release (exit 2), so plan says so with the same exit code.
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.stdout())
                .containsPattern("(?m)^staging\\s+claude-code\\s.*already at target$")
                .containsPattern("(?m)^prod\\s+platform-agent\\s.*PROMOTE REQUIRED \\(" + java.util.regex.Pattern.quote(
                        brief(oldDigest("platform-agent")) + " → " + brief(newDigest("platform-agent"))) + "\\)$")
                .containsPattern("(?m)^prod\\s+ghost\\s.*UNKNOWN TEMPLATE$")
                .contains("plan runtime@v0.3.43: publish would refuse this release");
        assertThat(run.stderr()).contains("lockstep: target prod: ghost is not a member of group runtime.");
        assertThat(TwoControlPlanes.state(cps.staging) + TwoControlPlanes.state(cps.prod)).isEqualTo(before);

        Cli.Run seed = cli().run(args("plan", "--release", cps.seedRelease().toString()));
        assertThat(seed.exit()).as(seed.all()).isZero();
        assertThat(seed.stdout()).contains("plan runtime@v0.3.43: promote required on staging, prod");

        Cli.Run eu = cli().run(args("plan", "--release", cps.seedRelease().toString(), "--region", "eu"));
        assertThat(eu.stdout()).containsPattern("(?m)^prod\\s+hermes\\s.*MISSING ROW$");
    }

    @Test
    void planFailsWhenAnyTargetIsUnreadable() throws Exception {
        Cli.Run run = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI).run("plan", "--release", cps.seedRelease().toString(),
                "--target", "staging=" + cps.staging.url(), "--target", "prod=http://127.0.0.1:" + freePort());

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("(?m)^prod\\s+platform-agent\\s.*UNREADABLE\\s+cannot read GET /cp/runtimes: connection failed")
                .contains("plan runtime@v0.3.43: FAILED, cannot read prod");
    }

    @Test
    void serverThatAnswers200WithoutApplyingTheWriteIsAPinMismatch() throws Exception {
        // A test double of a broken control plane (not a mock of ours): it accepts every write and changes nothing.
        HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        StringBuilder runtimes = new StringBuilder();
        StringBuilder pins = new StringBuilder();
        StringBuilder results = new StringBuilder();
        for (String t : TestConfig.GROUP) {
            String sep = runtimes.length() == 0 ? "" : ",";
            runtimes.append(sep).append("{\"name\":\"").append(t).append("\",\"group\":\"runtime\",\"pinnable\":true}");
            pins.append(sep).append("{\"template_name\":\"").append(t).append("\",\"region\":\"global\",\"image_digest\":\"")
                    .append(oldDigest(t)).append("\"}");
            results.append(sep).append("{\"result\":\"updated\",\"template_name\":\"").append(t)
                    .append("\",\"previous_digest\":\"").append(oldDigest(t)).append("\"}");
        }
        respond(broken, "/cp/runtimes", 200, "{\"runtimes\":[" + runtimes + "]}");
        respond(broken, "/api/v1/releases", 201, "{\"id\":\"runtime@v0.3.43\",\"result\":\"created\"}");
        respond(broken, "/api/v1/environments/prod/releases/", 200, "{\"results\":[" + results + "]}");
        respond(broken, "/api/v1/environments/prod/pins", 200, "{\"pins\":[" + pins + "]}");
        broken.start();
        try {
            Cli.Run run = cli().run("publish", "--release", cps.seedRelease().toString(),
                    "--target", "staging=" + cps.staging.url(), "--token-env", "staging=STAGING_TOKEN",
                    "--target", "prod=http://127.0.0.1:" + broken.getAddress().getPort(), "--token-env", "prod=PROD_TOKEN");

            assertThat(run.exit()).as(run.all()).isEqualTo(1);
            assertThat(run.stdout()).contains("PIN MISMATCH prod platform-agent expected " + newDigest("platform-agent")
                    + " actual " + oldDigest("platform-agent"))
                    .containsPattern("(?m)^staging\\s+platform-agent\\s.*updated$");
        } finally {
            broken.stop(0);
        }
    }

    @Test
    void promoteRollbackHistoryPinsAndResolveAgainstRealServers() throws Exception {
        String next = TestConfig.digest("platform-agent@v0.3.44");
        Cli.Run promote = cli().run(args("promote", "--template", "platform-agent", "--digest", next,
                "--runtime-version", "v0.3.44", "--git-sha", "abcdef1", "--notes", "hotfix",
                "--expected-digest", oldDigest("platform-agent")));
        assertThat(promote.exit()).as(promote.all()).isZero();
        assertThat(promote.stdout()).containsPattern("(?m)^prod\\s+platform-agent\\s.*→.*updated$")
                .contains("promote platform-agent: succeeded on staging, prod");

        Cli.Run conflict = cli().run(args("promote", "--template", "platform-agent", "--digest", newDigest("platform-agent"),
                "--expected-digest", oldDigest("platform-agent"), "--retry-interval", "1s"));
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.stdout()).contains("DIGEST_CONFLICT");
        assertThat(conflict.stderr()).as("a permanent 409 is not retried").doesNotContain("retrying");

        Cli one = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI);
        String[] prod = {"--target", "prod=" + cps.prod.url()};
        Cli.Run rollback = one.run(concat(new String[]{"rollback", "--template", "platform-agent", "--notes", "bad build"}, prod));
        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(TwoControlPlanes.pins(cps.prod, "prod").get("platform-agent")).isEqualTo(oldDigest("platform-agent"));

        Cli.Run history = one.run(concat(new String[]{"history", "--template", "platform-agent"}, prod));
        assertThat(history.exit()).isZero();
        assertThat(history.stdout()).contains("rollback").contains("bad build").contains("hotfix");

        Cli.Run pins = one.run(concat(new String[]{"pins", "--json"}, prod));
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(pins.stdout()).path("pins")).hasSize(5);
        // the table shows each pin's fields exactly as the JSON carries them ("-" for no runtime version)
        Cli.Run table = one.run(concat(new String[]{"pins"}, prod));
        assertThat(table.exit()).as(table.all()).isZero();
        for (com.fasterxml.jackson.databind.JsonNode p : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(pins.stdout()).path("pins")) {
            assertThat(table.stdout()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(p.path("template_name").asText())
                    + "\\s+" + p.path("region").asText() + "\\s+" + p.path("image_digest").asText()
                    + "\\s+" + java.util.regex.Pattern.quote(p.path("runtime_version").asText("-"))
                    + "\\s+" + java.util.regex.Pattern.quote(p.path("promoted_at").asText())
                    + "\\s+" + java.util.regex.Pattern.quote(p.path("promoted_by").asText())
                    + "\\s+" + java.util.regex.Pattern.quote(p.path("provenance_kind").asText()) + "\\s*$");
        }

        Cli.Run resolve = one.run(concat(new String[]{"resolve", "--kind", "platform"}, prod));
        assertThat(resolve.exit()).as(resolve.all()).isZero();
        assertThat(resolve.stdout().trim()).isEqualTo("platform-agent  registry.example.com/molecule/platform-agent@"
                + oldDigest("platform-agent"));

        Cli.Run two = cli().run(concat(new String[]{"pins"}, cps.targets()));
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.stderr()).contains("pins acts on exactly one target; got 2.");
    }

    @Test
    void tokensNeverAppearEvenInVerboseTracesOrWhenPastedOnTheCommandLine() {
        Cli.Run verbose = new Cli().env("LOCKSTEP_TOKEN", TestConfig.ADMIN)
                .run("pins", "--verbose", "--target", "prod=" + cps.prod.url());
        assertThat(verbose.exit()).isZero();
        assertThat(verbose.stderr()).contains("Authorization: Bearer <redacted>").contains("< 200");

        Cli.Run pasted = new Cli().run("pins", "--target", "prod=" + cps.prod.url(), "--token", TestConfig.ADMIN);
        assertThat(pasted.exit()).isEqualTo(2);
        assertThat(pasted.stderr()).contains("tokens are never accepted on the command line");

        Cli.Run asVariable = new Cli().run("pins", "--target", "prod=" + cps.prod.url(), "--token-env", "prod=" + TestConfig.CI);
        assertThat(asVariable.exit()).isEqualTo(2);
        assertThat(asVariable.stderr()).contains("must name an environment variable");

        Cli.Run badToken = new Cli().env("LOCKSTEP_TOKEN", TestConfig.CI + "x").run("pins", "--target", "prod=" + cps.prod.url());
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.stderr()).contains("prod: HTTP 401");
    }

    @Test
    void targetsFileNamesTargetsTokensAndEnvironments() throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.yaml"), """
                - {name: stage, url: %s, token_env: STAGING_TOKEN, environment: staging}
                - {name: production, url: %s, token_env: PROD_TOKEN, environment: prod}
                """.formatted(cps.staging.url(), cps.prod.url()));

        Cli.Run run = cli().run("publish", "--release", cps.seedRelease().toString(), "--targets", targets.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("(?m)^production\\s+platform-agent\\s.*updated$");
        assertThat(TwoControlPlanes.pins(cps.staging, "staging").get("hermes")).isEqualTo(newDigest("hermes"));
        assertThat(TwoControlPlanes.pins(cps.prod, "prod").get("hermes")).isEqualTo(newDigest("hermes"));
    }

    private static void respond(HttpServer server, String prefix, int status, String body) {
        server.createContext(prefix, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
