package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.ProvenanceOptions;
import io.lockstep.cli.client.Fanout;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Readback;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.ResultRow;
import io.lockstep.cli.client.TagResolver;
import io.lockstep.cli.client.RetryOptions;
import io.lockstep.cli.client.Target;
import io.lockstep.domain.Digest;
import io.lockstep.domain.Names;
import io.lockstep.wire.PromoteResultJson.PromoteResult;
import io.lockstep.wire.PromoteResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code lockstep promote}: one pin on every target, concurrently, each read back. */
@Command(name = "promote", mixinStandardHelpOptions = true, description = "Promote one template's pin on every target.")
public final class PromotePinCommand extends ClientCommand {
    @Option(names = "--template", required = true, description = "Template to promote.")
    String template;

    @Option(names = "--digest", description = "sha256:<64 hex> to pin (or give --tag).")
    String digest;

    @Option(names = "--tag", description = "Image tag to pin, resolved to its digest through the registry before anything"
            + " is written; git_sha and runtime_version come from the image labels unless given. Needs --registry-config.")
    String tag;

    @Option(names = "--registry-config", paramLabel = "FILE", description = "YAML file with a registries: section, as in the"
            + " server config (credentials via password_env / password_file); used to resolve --tag.")
    Path registryConfig;

    @Option(names = "--git-sha", description = "Commit the image was built from.")
    String gitSha;

    @Option(names = "--runtime-version", description = "Runtime version of the image.")
    String runtimeVersion;

    @Option(names = "--notes", description = "Notes recorded in the pin's history.")
    String notes;

    @Option(names = "--region", description = "Region (default global).")
    String region;

    @Option(names = "--expected-digest", description = "Only promote if the pin is at this digest now (else 409 DIGEST_CONFLICT).")
    String expectedDigest;

    @Mixin
    RetryOptions retry;

    @Mixin
    OverrideOption override;

    @Mixin
    ProvenanceOptions provenanceOptions;

    private Map<String, String> provenance = Map.of();

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<Target> targets = targets(problems);
        problems.addAll(Preflight.pinOptions(template, region, notes));
        if ((digest == null) == (tag == null)) {
            problems.add("give exactly one of --digest or --tag.");
        } else if (digest != null) {
            Preflight.digest("--digest", digest, problems);
        }
        if (expectedDigest != null) {
            Preflight.digest("--expected-digest", expectedDigest, problems);
        }
        if (gitSha != null && !Names.isGitSha(gitSha)) {
            problems.add("--git-sha must be 7 to 40 lower-case hex characters.");
        }
        if (runtimeVersion != null && !Names.isRuntimeVersion(runtimeVersion)) {
            problems.add("--runtime-version " + Names.quoteForError(runtimeVersion) + " is not valid.");
        }
        provenance = provenanceOptions.resolve(env, problems);
        override.check(problems);
        if (!problems.isEmpty()) {
            return refuse(problems);
        }
        if (tag != null && !resolveTag(targets, problems)) {
            return refuse(problems);
        }
        List<ResultRow> rows = Fanout.each(targets, this::promoteOn,
                (t, e) -> ResultRow.failed(t.name(), template, digest, "client error: " + e));
        return finish(new Report("promote", template, rows, Preflight.summary("promote " + template, targets, rows)));
    }

    /** Replaces --tag by its digest (and fills git_sha / runtime_version from labels); false after adding problems. */
    private boolean resolveTag(List<Target> targets, List<String> problems) {
        TagResolver resolver = TagResolver.load(registryConfig, env, problems);
        if (resolver == null) {
            return false;
        }
        List<ApiResponse> runtimes = Fanout.each(targets, t -> client(t).getPublic("/cp/runtimes"),
                (t, e) -> ApiResponse.unreachable(String.valueOf(e)));
        String repository = TagResolver.repositories(targets, runtimes, problems).get(template);
        if (!problems.isEmpty()) {
            return false;
        }
        if (repository == null) {
            problems.add("no target lists a template named " + Names.quoteForError(template) + ".");
            return false;
        }
        Optional<TagResolver.Image> image = resolver.resolve(template, repository, tag, problems);
        if (image.isEmpty()) {
            return false;
        }
        digest = image.get().digest();
        gitSha = gitSha != null ? gitSha : image.get().gitSha().orElse(null);
        runtimeVersion = runtimeVersion != null ? runtimeVersion : image.get().runtimeVersion().orElse(null);
        err.println("lockstep: " + template + ": tag " + tag + " is " + digest);
        return true;
    }

    private ResultRow promoteOn(Target target) {
        LockstepClient client = client(target);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("image_digest", digest);
        put(body, "git_sha", gitSha);
        put(body, "runtime_version", runtimeVersion);
        put(body, "notes", notes);
        put(body, "region", region);
        put(body, "expected_digest", expectedDigest);
        override.addTo(body);
        if (!provenance.isEmpty()) {
            body.put("provenance", provenance);
        }
        ApiResponse r = client.postWithRetry(client.environmentPath("/pins/" + LockstepClient.encode(template) + "/promote"),
                body, retry.policy(), this::retryNotice);
        if (!r.ok()) {
            return r.maybeDelivered() ? Readback.afterNoAnswer(target.name(), template, digest, r, Readback.read(client, region))
                    : ResultRow.failed(target.name(), template, digest, r.describe());
        }
        PromoteResult result = PromoteResultJson.read(r.json());
        return Readback.verify(target.name(), template, result.previousDigest(), digest,
                result.result() == null ? "?" : result.result(), Readback.read(client, region));
    }

    private static void put(Map<String, Object> body, String key, String value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
