package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.wire.ResolveJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code lockstep resolve --kind K | --template T}: the image a provisioner would get (fails closed). An
 * image the audit found gone is exit 1 ({@code 409 IMAGE_GONE}) where the environment refuses it, and
 * a warning on stderr (exit 0) where it warns.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true, description = "Resolve a workload kind or template to its pinned image on one target.")
public final class ResolveCommand extends SingleTargetCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    static final class Subject {
        @Option(names = "--kind", description = "Workload kind (e.g. workspace, platform).")
        String kind;

        @Option(names = "--template", description = "Template name.")
        String template;
    }

    @Option(names = "--region", description = "Region (default global).")
    String region;

    @Override
    String commandName() {
        return "resolve";
    }

    @Override
    void preflight(List<String> problems) {
        problems.addAll(Preflight.pinOptions(subject.template, region, null));
        if (subject.kind != null && !Names.isValid(subject.kind)) {
            problems.add("--kind " + Names.quoteForError(subject.kind) + " is not a valid name.");
        }
    }

    @Override
    int run(LockstepClient client) {
        String query = "?environment=" + LockstepClient.encode(client.target().environment())
                + (subject.kind != null ? "&kind=" + LockstepClient.encode(subject.kind)
                : "&template=" + LockstepClient.encode(subject.template))
                + (region == null ? "" : "&region=" + LockstepClient.encode(region));
        ApiResponse r = client.get("/api/v1/resolve" + query);
        if (!r.ok()) {
            return failedRead(client.target(), r);
        }
        Pin pin = ResolveJson.read(r.json());
        if (json) {
            printServerJson(r);
        } else {
            out.println(Printable.text(pin.key().template() + "  " + pin.imageRef()));
        }
        if ("gone".equals(ResolveJson.imageStatus(r.json()))) {
            // on_image_gone: warn answers, so the provisioner keeps working; the person running this must still hear it.
            err.println(Printable.text("lockstep: warning: " + client.target().name() + ": environment "
                    + pin.key().environment() + " template " + pin.key().template() + ": the registry no longer has "
                    + pin.imageRef() + " (pinned-image audit); resolved anyway (on_image_gone: warn)"));
            err.flush();
        }
        return ExitCodes.OK;
    }
}
