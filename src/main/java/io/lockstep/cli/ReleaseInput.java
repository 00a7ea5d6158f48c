package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.ReleaseFile;
import io.lockstep.cli.client.ReleaseTags;
import io.lockstep.cli.client.TagResolver;
import io.lockstep.cli.client.Target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A release file as {@code publish} and {@code plan} read it: parsed, and with every {@code {tag: …}}
 * entry resolved to a digest, so both commands see the same release. A file without tags is checked
 * completely before any request; one with tags needs each target's {@code GET /cp/runtimes} (for the
 * image repositories) and the registry.
 *
 * @param release the release, digests only
 * @param targets every target with its {@code GET /cp/runtimes}, in target order
 */
record ReleaseInput(ReleaseFile release, List<Reached> targets) {

    /** A target and its answer to {@code GET /cp/runtimes} (which may be a failure). */
    record Reached(Target target, ApiResponse runtimes) {
    }

    /**
     * What {@code publish} does with this release: refuse it (exit 2, nothing written) when any
     * readable target's group is not exactly covered, else write to the readable targets and fail
     * the unreadable ones.
     *
     * @param refusals one line per reason to refuse; empty when publish would go ahead
     * @param writable the targets whose runtimes were read, in target order
     * @param unreadable targets whose runtimes could not be read, with the reason
     */
    record Verdict(List<String> refusals, List<Target> writable, List<Reached> unreadable) {
        boolean refused() {
            return !refusals.isEmpty();
        }
    }

    /** The one decision {@code plan} and {@code publish} share, so plan never promises what publish refuses. */
    Verdict verdict() {
        List<String> refusals = new ArrayList<>();
        List<Target> writable = new ArrayList<>();
        List<Reached> unreadable = new ArrayList<>();
        for (Reached t : targets) {
            if (t.runtimes().ok()) {
                refusals.addAll(release.completenessProblems(t.target().name(), t.runtimes().json()));
                writable.add(t.target());
            } else {
                unreadable.add(t);
            }
        }
        return new Verdict(List.copyOf(refusals), List.copyOf(writable), List.copyOf(unreadable));
    }

    /**
     * The release and the targets' runtimes, or null after adding every problem found. Problems
     * already in {@code problems} (bad targets or options) also stop it before any request, so the
     * user sees them together with the file's own.
     */
    static ReleaseInput load(Path releaseFile, Path registryConfig, Map<String, String> env, List<Target> targets,
                             Function<Target, ApiResponse> readRuntimes, List<String> problems) {
        String where = "release file " + releaseFile;
        JsonNode doc = ReleaseFile.readTree(releaseFile, problems);
        boolean hasTags = doc != null && doc.isObject() && ReleaseTags.hasTags(doc);
        if (doc != null && !hasTags) {
            ReleaseFile.parse(doc, where, problems); // without tags every check needs no network
        }
        if (!problems.isEmpty()) {
            return null;
        }
        List<ApiResponse> runtimes = Fanout.each(targets, readRuntimes, (t, e) -> ApiResponse.unreachable(String.valueOf(e)));
        if (hasTags) {
            TagResolver resolver = TagResolver.load(registryConfig, env, problems);
            Map<String, String> repositories = TagResolver.repositories(targets, runtimes, problems);
            if (!problems.isEmpty()) {
                return null;
            }
            doc = ReleaseTags.resolve(doc, repositories, resolver, problems);
            if (doc == null) {
                return null;
            }
        }
        ReleaseFile release = ReleaseFile.parse(doc, where, problems);
        if (!problems.isEmpty()) {
            return null;
        }
        List<Reached> reached = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            reached.add(new Reached(targets.get(i), runtimes.get(i)));
        }
        return new ReleaseInput(release, reached);
    }
}
