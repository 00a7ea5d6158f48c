package io.lockstep.auth;

import io.lockstep.domain.VerifiedIdentity;
import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.StandInOidcIssuer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller an OIDC token yields carries its verified claims, for provenance; a static token carries none. */
class VerifiedIdentityTest {
    @Test
    void theCallerOfAGithubTokenCarriesIssuerSubjectRuleAndTheRecordedClaims() {
        try (StandInOidcIssuer github = new StandInOidcIssuer()) {
            OidcIssuer issuer = new OidcIssuer("github", github.issuer(), null, Set.of("https://github.com/octo-org"),
                    Set.of("RS256"), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(30),
                    OidcPreset.GITHUB_ACTIONS.recordedClaims(),
                    List.of(new ClaimRule("octo", Map.of("repository", "octo-org/octo-repo", "actor_id", "12"),
                            Set.of(Scope.PROMOTE), Set.of("staging"))));
            Clock clock = Clock.systemUTC();
            ApiToken caller = new OidcAuthenticator(List.of(issuer), clock).authenticate(
                    github.sign(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()), clock.instant())));

            assertThat(caller.name()).isEqualTo("github:octo");
            assertThat(caller.scopes()).containsExactly(Scope.PROMOTE);
            assertThat(caller.environments()).containsExactly("staging");
            VerifiedIdentity id = caller.verifiedIdentity().orElseThrow();
            assertThat(id.issuerName()).isEqualTo("github");
            assertThat(id.issuer()).isEqualTo(github.issuer());
            assertThat(id.subject()).isEqualTo("repo:octo-org/octo-repo:environment:prod");
            assertThat(id.rule()).isEqualTo("octo");
            assertThat(id.claims()).containsEntry("repository", "octo-org/octo-repo")
                    .containsEntry("ref", "refs/heads/main")
                    .containsEntry("job_workflow_ref", "octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main")
                    .containsEntry("environment", "prod")
                    .containsEntry("run_id", "example-run-id")
                    .containsEntry("actor_id", "12") // matched by the rule, so recorded too
                    .doesNotContainKeys("jti", "exp", "aud", "repository_visibility");
            assertThat(List.copyOf(id.claims().keySet())).isSorted();
        }
    }

    @Test
    void aConfiguredTokenHasNoVerifiedIdentity() {
        assertThat(new ApiToken("ci", Set.of(Scope.PROMOTE), null, new byte[32]).verifiedIdentity()).isEmpty();
    }

    @Test
    void aGitlabTokenRecordsGitlabsClaimShape() {
        try (StandInOidcIssuer gitlab = new StandInOidcIssuer()) {
            OidcIssuer issuer = new OidcIssuer("gitlab", gitlab.issuer(), URI.create(gitlab.issuer() + "/.well-known/jwks"),
                    Set.of("https://vault.example.com"), Set.of("RS256"), Duration.ofSeconds(60), Duration.ofMinutes(10),
                    Duration.ofSeconds(30), OidcPreset.GITLAB_CI.recordedClaims(),
                    List.of(new ClaimRule("p", Map.of("project_path", "my-group/my-project", "runner_id", "1"),
                            Set.of(Scope.READ), null)));
            Clock clock = Clock.systemUTC();
            VerifiedIdentity id = new OidcAuthenticator(List.of(issuer), clock).authenticate(gitlab.sign(
                    StandInOidcIssuer.fresh(CiTokenClaims.gitlabCi(gitlab.issuer()), clock.instant())))
                    .verifiedIdentity().orElseThrow();
            assertThat(id.claims()).containsEntry("project_path", "my-group/my-project")
                    .containsEntry("ref", "feature-branch-1").containsEntry("ref_type", "branch")
                    .containsEntry("pipeline_id", "574").containsEntry("runner_id", "1")
                    .doesNotContainKeys("user_identities", "groups_direct", "user_email");
        }
    }
}
