package io.lockstep.cli.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A promotion records where it came from, so no promote is invisible. Under a CI system the CLI
 * recognises it stamps the run, workflow/job, commit, ref, actor and repository from that system's
 * documented environment variables: GitHub and Gitea Actions, GitLab CI, Jenkins, Buildkite,
 * CircleCI. Elsewhere nothing. All of it is <em>declared</em> provenance: environment variables
 * are whatever the process was started with, so the server records it as declared, and only an OIDC
 * ID token makes a change verified.
 */
public final class CiProvenance {
    private static final int MAX_VALUE = 300;

    /** One CI system: how to recognise it and how its variables map onto the provenance of a run. */
    private record CiSystem(String name, Function<Map<String, String>, Boolean> detects,
                          Function<Map<String, String>, Run> stamp) {
    }

    /** What every system stamps, in the order the keys are recorded; a null is left out. */
    private record Run(String ciRun, String workflow, String commit, String ref, String actor, String repository) {
        void into(Map<String, String> p) {
            put(p, "ci_run", ciRun);
            put(p, "workflow", workflow);
            put(p, "commit", commit);
            put(p, "ref", ref);
            put(p, "actor", actor);
            put(p, "repository", repository);
        }
    }

    private static final List<CiSystem> SYSTEMS = List.of(
            new CiSystem("github_actions", env -> "true".equals(env.get("GITHUB_ACTIONS")) || "true".equals(env.get("GITEA_ACTIONS")),
                    CiProvenance::github),
            new CiSystem("gitlab_ci", env -> "true".equals(env.get("GITLAB_CI")), CiProvenance::gitlab),
            new CiSystem("buildkite", env -> "true".equals(env.get("BUILDKITE")), CiProvenance::buildkite),
            new CiSystem("circleci", env -> "true".equals(env.get("CIRCLECI")), CiProvenance::circleci),
            // Jenkins sets no CI=true flag of its own; JENKINS_URL and BUILD_URL are both set in every build.
            new CiSystem("jenkins", env -> env.get("JENKINS_URL") != null && env.get("BUILD_URL") != null, CiProvenance::jenkins));

    private CiProvenance() {
    }

    public static Map<String, String> from(Map<String, String> env) {
        for (CiSystem s : SYSTEMS) {
            if (s.detects().apply(env)) {
                Map<String, String> p = new LinkedHashMap<>();
                put(p, "ci_system", s.name());
                s.stamp().apply(env).into(p);
                return p;
            }
        }
        return new LinkedHashMap<>();
    }

    private static Run github(Map<String, String> env) {
        String server = env.get("GITHUB_SERVER_URL");
        String repo = env.get("GITHUB_REPOSITORY");
        String run = env.get("GITHUB_RUN_ID");
        String ciRun = run != null && server != null && repo != null ? server + "/" + repo + "/actions/runs/" + run : run;
        return new Run(ciRun, env.get("GITHUB_WORKFLOW"), env.get("GITHUB_SHA"), env.get("GITHUB_REF"),
                env.get("GITHUB_ACTOR"), repo);
    }

    private static Run gitlab(Map<String, String> env) {
        return new Run(first(env.get("CI_PIPELINE_URL"), env.get("CI_JOB_URL")),
                env.get("CI_JOB_NAME"),
                env.get("CI_COMMIT_SHA"),
                env.get("CI_COMMIT_REF_NAME"),
                env.get("GITLAB_USER_LOGIN"),
                env.get("CI_PROJECT_PATH"));
    }

    private static Run buildkite(Map<String, String> env) {
        return new Run(env.get("BUILDKITE_BUILD_URL"),
                env.get("BUILDKITE_PIPELINE_SLUG"),
                env.get("BUILDKITE_COMMIT"),
                first(env.get("BUILDKITE_TAG"), env.get("BUILDKITE_BRANCH")),
                env.get("BUILDKITE_BUILD_CREATOR"),
                withoutCredentials(env.get("BUILDKITE_REPO")));
    }

    private static Run circleci(Map<String, String> env) {
        String owner = env.get("CIRCLE_PROJECT_USERNAME");
        String repo = env.get("CIRCLE_PROJECT_REPONAME");
        return new Run(env.get("CIRCLE_BUILD_URL"),
                env.get("CIRCLE_JOB"),
                env.get("CIRCLE_SHA1"),
                first(env.get("CIRCLE_TAG"), env.get("CIRCLE_BRANCH")),
                env.get("CIRCLE_USERNAME"),
                owner != null && repo != null ? owner + "/" + repo : withoutCredentials(env.get("CIRCLE_REPOSITORY_URL")));
    }

    private static Run jenkins(Map<String, String> env) {
        // GIT_COMMIT / GIT_BRANCH come from the Git plugin, which nearly every pipeline that builds an image uses.
        return new Run(env.get("BUILD_URL"),
                env.get("JOB_NAME"),
                env.get("GIT_COMMIT"),
                first(env.get("BRANCH_NAME"), env.get("GIT_BRANCH")),
                env.get("BUILD_USER_ID"),
                withoutCredentials(env.get("GIT_URL")));
    }

    /** A clone URL may carry a user and token ({@code https://user:token@host/…}); provenance is shown to everyone. */
    static String withoutCredentials(String url) {
        return url == null ? null : url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static void put(Map<String, String> p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
        }
    }
}
