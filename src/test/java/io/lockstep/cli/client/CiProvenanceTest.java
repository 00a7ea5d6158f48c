package io.lockstep.cli.client;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The provenance the CLI stamps under each CI system it knows, from that system's documented variables. */
class CiProvenanceTest {
    @Test
    void githubActions() {
        assertThat(CiProvenance.from(Map.of("GITHUB_ACTIONS", "true", "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "acme/agents", "GITHUB_RUN_ID", "42", "GITHUB_WORKFLOW", "publish",
                "GITHUB_SHA", "19f3175", "GITHUB_REF", "refs/heads/main", "GITHUB_ACTOR", "octocat")))
                .containsExactly(Map.entry("ci_system", "github_actions"),
                        Map.entry("ci_run", "https://github.com/acme/agents/actions/runs/42"),
                        Map.entry("workflow", "publish"), Map.entry("commit", "19f3175"), Map.entry("ref", "refs/heads/main"),
                        Map.entry("actor", "octocat"), Map.entry("repository", "acme/agents"));
        assertThat(CiProvenance.from(Map.of("GITEA_ACTIONS", "true", "GITHUB_RUN_ID", "7")))
                .containsEntry("ci_system", "github_actions").containsEntry("ci_run", "7");
    }

    @Test
    void gitlabCi() {
        assertThat(CiProvenance.from(Map.of("GITLAB_CI", "true", "CI_PIPELINE_URL", "https://gitlab.com/g/p/-/pipelines/574",
                "CI_JOB_URL", "https://gitlab.com/g/p/-/jobs/302", "CI_JOB_NAME", "publish", "CI_COMMIT_SHA", "714a629c",
                "CI_COMMIT_REF_NAME", "main", "GITLAB_USER_LOGIN", "sample-user", "CI_PROJECT_PATH", "g/p")))
                .containsExactly(Map.entry("ci_system", "gitlab_ci"),
                        Map.entry("ci_run", "https://gitlab.com/g/p/-/pipelines/574"), Map.entry("workflow", "publish"),
                        Map.entry("commit", "714a629c"), Map.entry("ref", "main"), Map.entry("actor", "sample-user"),
                        Map.entry("repository", "g/p"));
    }

    @Test
    void jenkins() {
        assertThat(CiProvenance.from(Map.of("JENKINS_URL", "https://jenkins.example/", "BUILD_URL",
                "https://jenkins.example/job/publish/15/", "JOB_NAME", "publish", "GIT_COMMIT", "a3f9c12e",
                "GIT_BRANCH", "origin/main", "GIT_URL", "https://deploy:s3cr3t-token@git.example/acme/agents.git")))
                .containsExactly(Map.entry("ci_system", "jenkins"),
                        Map.entry("ci_run", "https://jenkins.example/job/publish/15/"), Map.entry("workflow", "publish"),
                        Map.entry("commit", "a3f9c12e"), Map.entry("ref", "origin/main"),
                        Map.entry("repository", "https://git.example/acme/agents.git"));
        assertThat(CiProvenance.from(Map.of("JENKINS_URL", "https://jenkins.example/")))
                .as("JENKINS_URL alone (e.g. a developer's shell) is not a build").isEmpty();
    }

    @Test
    void buildkite() {
        assertThat(CiProvenance.from(Map.of("BUILDKITE", "true", "BUILDKITE_BUILD_URL", "https://buildkite.com/acme/publish/builds/59034",
                "BUILDKITE_PIPELINE_SLUG", "publish", "BUILDKITE_COMMIT", "a0bd708b", "BUILDKITE_BRANCH", "main",
                "BUILDKITE_BUILD_CREATOR", "abhay", "BUILDKITE_REPO", "git@github.com:acme/agents.git")))
                .containsExactly(Map.entry("ci_system", "buildkite"),
                        Map.entry("ci_run", "https://buildkite.com/acme/publish/builds/59034"), Map.entry("workflow", "publish"),
                        Map.entry("commit", "a0bd708b"), Map.entry("ref", "main"), Map.entry("actor", "abhay"),
                        Map.entry("repository", "git@github.com:acme/agents.git"));
    }

    @Test
    void circleci() {
        assertThat(CiProvenance.from(Map.of("CIRCLECI", "true", "CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/agents/123",
                "CIRCLE_JOB", "publish", "CIRCLE_SHA1", "b81ed283", "CIRCLE_TAG", "v0.3.43", "CIRCLE_BRANCH", "main",
                "CIRCLE_USERNAME", "octocat", "CIRCLE_PROJECT_USERNAME", "acme", "CIRCLE_PROJECT_REPONAME", "agents")))
                .containsExactly(Map.entry("ci_system", "circleci"),
                        Map.entry("ci_run", "https://circleci.com/gh/acme/agents/123"), Map.entry("workflow", "publish"),
                        Map.entry("commit", "b81ed283"), Map.entry("ref", "v0.3.43"), Map.entry("actor", "octocat"),
                        Map.entry("repository", "acme/agents"));
    }

    @Test
    void outsideCiNothingIsStamped() {
        assertThat(CiProvenance.from(Map.of("CI", "true", "HOME", "/root"))).isEmpty();
    }

    @Test
    void cloneUrlsLoseTheirCredentials() {
        assertThat(CiProvenance.withoutCredentials("https://x-access-token:ghs_abc@github.com/a/b.git"))
                .isEqualTo("https://github.com/a/b.git");
        assertThat(CiProvenance.withoutCredentials("git@github.com:a/b.git")).isEqualTo("git@github.com:a/b.git");
    }
}
