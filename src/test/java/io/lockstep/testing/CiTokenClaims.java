package io.lockstep.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ID-token payloads GitHub and GitLab document, reproduced claim for claim so tests meet the
 * shapes real CI jobs send. Only {@code iss} is replaced (by a {@link StandInOidcIssuer}'s URL) and,
 * through {@link StandInOidcIssuer#fresh}, the times; everything else is the documented example.
 *
 * <p>GitHub: "Understanding the OIDC token" (docs.github.com, security hardening with OpenID
 * Connect), the example for a job with environment {@code prod} in {@code octo-org/octo-repo}.
 * GitLab: "OpenID Connect (OIDC) Authentication Using ID Tokens" (docs.gitlab.com,
 * ci/secrets/id_token_authentication), the example payload.
 */
public final class CiTokenClaims {
    private CiTokenClaims() {
    }

    public static Map<String, Object> githubActions(String issuer) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", "example-id");
        c.put("sub", "repo:octo-org/octo-repo:environment:prod");
        c.put("environment", "prod");
        c.put("aud", "https://github.com/octo-org");
        c.put("ref", "refs/heads/main");
        c.put("sha", "example-sha");
        c.put("repository", "octo-org/octo-repo");
        c.put("repository_owner", "octo-org");
        c.put("actor_id", "12");
        c.put("repository_visibility", "private");
        c.put("repository_id", "74");
        c.put("repository_owner_id", "65");
        c.put("run_id", "example-run-id");
        c.put("run_number", "10");
        c.put("run_attempt", "2");
        c.put("runner_environment", "github-hosted");
        c.put("actor", "octocat");
        c.put("workflow", "example-workflow");
        c.put("head_ref", "");
        c.put("base_ref", "");
        c.put("event_name", "workflow_dispatch");
        c.put("ref_type", "branch");
        c.put("job_workflow_ref", "octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main");
        c.put("iss", issuer);
        c.put("nbf", 1632492967L);
        c.put("exp", 1632493867L);
        c.put("iat", 1632493567L);
        return c;
    }

    public static Map<String, Object> gitlabCi(String issuer) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("namespace_id", "72");
        c.put("namespace_path", "my-group");
        c.put("project_id", "20");
        c.put("project_path", "my-group/my-project");
        c.put("user_id", "1");
        c.put("user_login", "sample-user");
        c.put("user_email", "sample-user@example.com");
        c.put("user_identities", List.of(Map.of("provider", "github", "extern_uid", "2435223452345"),
                Map.of("provider", "bitbucket", "extern_uid", "john.smith")));
        c.put("pipeline_id", "574");
        c.put("pipeline_source", "push");
        c.put("job_id", "302");
        c.put("ref", "feature-branch-1");
        c.put("ref_type", "branch");
        c.put("ref_path", "refs/heads/feature-branch-1");
        c.put("ref_protected", "false");
        c.put("groups_direct", List.of("mygroup/mysubgroup", "myothergroup/myothersubgroup"));
        c.put("environment", "test-environment2");
        c.put("environment_protected", "false");
        c.put("deployment_tier", "testing");
        c.put("environment_action", "start");
        c.put("runner_id", 1);
        c.put("runner_environment", "self-hosted");
        c.put("sha", "714a629c0b401fdce83e847fc9589983fc6f46bc");
        c.put("project_visibility", "public");
        c.put("ci_config_ref_uri", "gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main");
        c.put("ci_config_sha", "714a629c0b401fdce83e847fc9589983fc6f46bc");
        c.put("jti", "235b3a54-b797-45c7-ae9a-f72d7bc6ef5b");
        c.put("iss", issuer);
        c.put("iat", 1681395193L);
        c.put("nbf", 1681395188L);
        c.put("exp", 1681398793L);
        c.put("sub", "project_path:my-group/my-project:ref_type:branch:ref:feature-branch-1");
        c.put("aud", "https://vault.example.com");
        return c;
    }

    /** {@code claims} with {@code key} set to {@code value} (null removes it). */
    public static Map<String, Object> with(Map<String, Object> claims, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(claims);
        if (value == null) {
            out.remove(key);
        } else {
            out.put(key, value);
        }
        return out;
    }

    /**
     * The {@code oidc:} config section trusting {@code github} as GitHub Actions and {@code gitlab} as
     * GitLab CI (stand-ins on loopback), with the documented default audiences of the examples.
     * octo-org/octo-repo's main branch may promote to staging; my-group/my-project's branches to prod.
     */
    public static String yaml(String github, String gitlab, String extraIssuers) {
        return """
                oidc:
                  issuers:
                    - name: github
                      preset: github_actions
                      issuer: %s
                      audience: https://github.com/octo-org
                      jwks_refetch_interval: 1s
                      rules:
                        - name: octo-repo-main
                          match: {repository: octo-org/octo-repo, ref: refs/heads/main}
                          scopes: [promote]
                          environments: [staging]
                    - name: gitlab
                      preset: gitlab_ci
                      issuer: %s
                      audience: [https://lockstep.example.com, https://vault.example.com]
                      rules:
                        - name: my-project-branches
                          match: {project_path: my-group/my-project, ref_type: branch, ref: "feature-*"}
                          scopes: [promote]
                          environments: [prod]
                """.formatted(github, gitlab) + (extraIssuers == null ? "" : extraIssuers);
    }
}
