package io.lockstep.cli.client;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Provenance;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The picocli mixin for changes ({@code promote}, {@code publish}, {@code rollback}): repeatable
 * {@code --provenance key=value}, on top of what {@link CiProvenance} stamps from the CI's
 * environment variables. An explicit entry wins over a stamped one with the same key. Either way it
 * is declared provenance; the server records a verified identity only from an OIDC ID token.
 */
public final class ProvenanceOptions {
    @Option(names = "--provenance", paramLabel = "KEY=VALUE",
            description = "Provenance to record with the change (repeatable), e.g. --provenance ci_run=<url>. Keys are"
                    + " lower-case identifiers; explicit entries replace the ones stamped from CI environment variables.")
    List<String> entries = new ArrayList<>();

    /**
     * The provenance to send: stamped from {@code env}, then the explicit entries; empty for none.
     * Adds one line to {@code problems} for each bad entry and then returns an empty map.
     */
    public Map<String, String> resolve(Map<String, String> env, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>(CiProvenance.from(env));
        int before = problems.size();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                problems.add("--provenance takes key=value (e.g. ci_run=…); got an entry without a key and '='.");
                continue;
            }
            String key = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            try {
                // The server's own rules, so the CLI refuses exactly what the server would, before sending anything.
                Provenance.validate(Map.of(key, value));
                out.put(key, value);
            } catch (LockstepException e) {
                problems.add("--provenance: " + e.getMessage());
            }
        }
        if (problems.size() > before) {
            return Map.of();
        }
        try {
            return Provenance.validate(out);
        } catch (LockstepException e) {
            problems.add("--provenance: " + e.getMessage());
            return Map.of();
        }
    }
}
