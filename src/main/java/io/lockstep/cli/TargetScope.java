package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.cli.client.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * Which environments of a target's server a read command shows: the target's environment when the
 * server hosts it ({@code --target prod=…} on a server with prod), otherwise every environment the
 * server hosts ({@code --target local=http://localhost:8080}).
 */
final class TargetScope {
    private TargetScope() {
    }

    /** {@code environments} is the server's list of {@code {name, …}} objects. */
    static List<String> environments(Target target, JsonNode environments) {
        List<String> hosted = new ArrayList<>();
        environments.forEach(e -> hosted.add(e.path("name").asText()));
        return hosted.contains(target.environment()) ? List.of(target.environment()) : hosted;
    }
}
