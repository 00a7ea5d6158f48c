package io.lockstep.auth;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The claim shapes of well-known CI issuers, so a configuration names the preset instead of
 * repeating them. {@code identityClaims}: a rule must pin at least one of them exactly, because
 * these issuers sign tokens for every repository/project they host; a rule matching only, say,
 * {@code ref: refs/heads/main} would let anyone's main branch in.
 */
public enum OidcPreset {
    /** GitHub Actions: {@code ref} is {@code refs/heads/main}; {@code environment} is the job's deployment environment. */
    GITHUB_ACTIONS("https://token.actions.githubusercontent.com", List.of("RS256"),
            List.of("repository", "repository_id", "repository_owner", "ref", "ref_type", "sha", "workflow",
                    "workflow_ref", "job_workflow_ref", "environment", "event_name", "actor", "run_id",
                    "run_number", "run_attempt", "runner_environment"),
            Set.of("repository", "repository_id", "repository_owner", "repository_owner_id", "sub",
                    "job_workflow_ref")),
    /** GitLab CI: {@code ref} is the bare branch or tag name, with {@code ref_type} and {@code ref_path} beside it. */
    GITLAB_CI("https://gitlab.com", List.of("RS256"),
            List.of("project_path", "project_id", "namespace_path", "ref", "ref_type", "ref_path", "ref_protected",
                    "sha", "environment", "environment_protected", "pipeline_id", "pipeline_source", "job_id",
                    "user_login", "ci_config_ref_uri", "runner_environment"),
            Set.of("project_path", "project_id", "namespace_path", "namespace_id", "sub", "ci_config_ref_uri"));

    private final String issuer;
    private final List<String> algorithms;
    private final List<String> recordedClaims;
    private final Set<String> identityClaims;

    OidcPreset(String issuer, List<String> algorithms, List<String> recordedClaims, Set<String> identityClaims) {
        this.issuer = issuer;
        this.algorithms = algorithms;
        this.recordedClaims = recordedClaims;
        this.identityClaims = identityClaims;
    }

    public String issuer() {
        return issuer;
    }

    public List<String> algorithms() {
        return algorithms;
    }

    public List<String> recordedClaims() {
        return recordedClaims;
    }

    public Set<String> identityClaims() {
        return identityClaims;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OidcPreset parse(String value) {
        for (OidcPreset p : values()) {
            if (p.wire().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + value + "' (use github_actions or gitlab_ci)");
    }
}
