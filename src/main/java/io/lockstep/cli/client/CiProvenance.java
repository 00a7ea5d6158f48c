package io.lockstep.cli.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A promotion records where it came from, so no promote is invisible. Under GitHub or Gitea
 * Actions the CLI sends the run URL, workflow, commit, ref and actor as provenance; elsewhere nothing.
 */
public final class CiProvenance {
    private static final int MAX_VALUE = 300;

    private CiProvenance() {
    }

    public static Map<String, String> from(Map<String, String> env) {
        Map<String, String> p = new LinkedHashMap<>();
        if (!Report.inCi(env)) {
            return p;
        }
        String server = env.get("GITHUB_SERVER_URL");
        String repo = env.get("GITHUB_REPOSITORY");
        String run = env.get("GITHUB_RUN_ID");
        if (run != null) {
            put(p, "ci_run", server != null && repo != null ? server + "/" + repo + "/actions/runs/" + run : run);
        }
        put(p, "workflow", env.get("GITHUB_WORKFLOW"));
        put(p, "commit", env.get("GITHUB_SHA"));
        put(p, "ref", env.get("GITHUB_REF"));
        put(p, "actor", env.get("GITHUB_ACTOR"));
        return p;
    }

    private static void put(Map<String, String> p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value);
        }
    }
}
