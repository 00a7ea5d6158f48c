package io.lockstep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code lockstep unfreeze --target prod=URL [ID | --group G]}: lifts a stop of the line. With an ID, that stop;
 * without, every active stop of the whole environment, or with {@code --group} every active stop of that group.
 * Lifting takes an admin token or the one that set the stop.
 */
@Command(name = "unfreeze", mixinStandardHelpOptions = true,
        description = "Lift a stop of the line (by ID, or every active stop of the environment or of --group).")
public final class UnfreezeCommand extends SingleTargetCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The stop to lift (see GET …/freezes).")
    String id;

    @Option(names = "--group", description = "Lift the active stops of this group (default: of the whole environment).")
    String group;

    @Option(names = "--reason", description = "Why; kept with the lifted stop.")
    String reason;

    @Override
    String commandName() {
        return "unfreeze";
    }

    @Override
    void preflight(List<String> problems) {
        if (id != null && group != null) {
            problems.add("give an ID or --group, not both.");
        }
    }

    @Override
    int run(LockstepClient client) {
        String name = client.target().name();
        List<String> ids = new ArrayList<>();
        if (id != null) {
            ids.add(id);
        } else {
            ApiResponse list = client.get(client.environmentPath("/freezes"));
            if (!list.ok()) {
                return failedRead(client.target(), list);
            }
            for (JsonNode s : list.json().path("freezes")) {
                if (Objects.equals(group, s.path("group").isTextual() ? s.path("group").asText() : null)) {
                    ids.add(s.path("id").asText());
                }
            }
            if (ids.isEmpty()) {
                err.println(Printable.text("lockstep: " + name + ": no active freeze of "
                        + (group == null ? "the whole environment" : "group " + group) + " to lift."));
                err.flush();
                return ExitCodes.FAILED;
            }
        }
        Map<String, Object> body = reason == null ? null : Map.of("reason", reason);
        List<Object> lifted = new ArrayList<>();
        for (String each : ids) {
            ApiResponse r = client.delete(client.environmentPath("/freezes/" + LockstepClient.encode(each)), body);
            if (!r.ok()) {
                return failedRead(client.target(), r);
            }
            lifted.add(r.json());
            if (!json) {
                out.println(Printable.text(name + ": lifted " + each + " (" + r.json().path("reason").asText() + ")"));
            }
        }
        if (json) {
            try {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("lifted", lifted);
                out.println(Printable.json(false).writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
