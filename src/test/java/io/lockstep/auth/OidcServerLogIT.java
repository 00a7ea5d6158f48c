package io.lockstep.auth;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.lockstep.testing.CiTokenClaims.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No part of an OIDC token, accepted or refused, ever reaches the server's log: the real jar in its
 * own process, debug logging on, every kind of token sent (valid, wrong audience, expired, alg none,
 * HS256 confusion, unknown kid, an issuer that is down), then its stdout and stderr are searched for
 * each token's header, payload and signature, and for claim values unique to the tokens.
 */
class OidcServerLogIT {
    @TempDir
    Path dir;

    @Test
    void noTokenContentAppearsInTheServerLog() throws Exception {
        try (StandInOidcIssuer github = new StandInOidcIssuer(); StandInOidcIssuer gitlab = new StandInOidcIssuer()) {
            ServerProcess.Spec spec = ServerProcess.spec(dir).database(TestDatabases.sqlite(dir.resolve("db")))
                    .env("LOCKSTEP_LOG_LEVEL", "DEBUG")
                    .config(TestConfig.yaml(null) + CiTokenClaims.yaml(github.issuer(), gitlab.issuer(), null));
            List<String> tokens = new ArrayList<>();
            String marker = "run-" + Unique.name("marker");
            try (ServerProcess server = spec.start()) {
                Map<String, Object> claims = with(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()),
                        Instant.now()), "run_id", marker);
                tokens.add(github.sign(claims));
                tokens.add(github.sign(with(claims, "aud", "https://github.com/" + marker)));
                tokens.add(github.sign(with(claims, "exp", Instant.now().getEpochSecond() - 3600)));
                tokens.add(StandInOidcIssuer.unsigned(claims));
                tokens.add(github.hs256WithPublicKey(claims));
                tokens.add(StandInOidcIssuer.sign(claims, new RSAKeyGenerator(2048).keyID("k").generate(), marker));
                tokens.add(github.sign(with(claims, "repository", marker + "/repo")));
                gitlab.down(true);
                tokens.add(gitlab.sign(StandInOidcIssuer.fresh(with(CiTokenClaims.gitlabCi(gitlab.issuer()),
                        "pipeline_id", marker), Instant.now())));
                List<Integer> statuses = new ArrayList<>();
                for (String t : tokens) {
                    Http.Response r = server.http().post("/api/v1/environments/staging/pins/solo/promote", t,
                            Json.obj("image_digest", Unique.digest()));
                    statuses.add(r.status());
                    assertThat(r.body()).doesNotContain(t);
                    if (r.status() == 201) {
                        // the accepted token's claims are its change's verified provenance, on purpose
                        assertThat(r.json().path("pin").path("provenance").path("run_id").asText()).isEqualTo(marker);
                    } else {
                        assertThat(r.body()).doesNotContain(marker);
                    }
                }
                assertThat(statuses).containsExactly(201, 401, 401, 401, 401, 401, 403, 503);
                String log = server.stdoutText() + server.stderrText();
                assertThat(log).as("the server logged the issuer outage").contains("OIDC issuer gitlab");
                for (String t : tokens) {
                    for (String part : t.split("\\.")) {
                        if (part.length() >= 8) {
                            assertThat(log).doesNotContain(part);
                        }
                    }
                }
                assertThat(log).doesNotContain(marker);
            }
        }
    }
}
