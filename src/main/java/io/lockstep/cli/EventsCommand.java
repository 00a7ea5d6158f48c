package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.EventStreamReader;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.domain.Event;
import io.lockstep.domain.Names;
import io.lockstep.wire.EventJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lockstep events}: what happened (pins moved, releases promoted, …), one line per event, from the
 * server's event outbox; with {@code --follow} live, reconnecting after a dropped connection with the last
 * event id, so no event is missed or shown twice.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Show events (pin.promoted, pin.rolled_back, release.promoted, …), oldest first, or follow them live.",
                "The target's --environment NAME=ENV narrows to that environment; without it every environment the token may read.",
                "With --json: one JSON document {events, next_after, more}; with --follow --json: one event JSON per line."})
public final class EventsCommand extends SingleTargetCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Three missed heartbeats at the longest allowed interval (25 s): the connection is dead. */
    private static final Duration SILENCE = Duration.ofSeconds(80);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Option(names = "--after", paramLabel = "ID", description = "Only events after this id (default: from the oldest kept;"
            + " with --follow: from now on).")
    Long after;

    @Option(names = "--type", split = ",", paramLabel = "TYPE", description = "Only these event types (repeatable or comma-separated).")
    List<String> types = new ArrayList<>();

    @Option(names = "--group", description = "Only events of this group.")
    String group;

    @Option(names = "--limit", defaultValue = "100", description = "Without --follow: at most this many events (1-100000)."
            + " Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--follow", description = "Keep the connection open and print events as they happen (Server-Sent Events);"
            + " reconnects after a dropped connection without missing or repeating an event. Stop with Ctrl-C.")
    boolean follow;

    @Override
    String commandName() {
        return "events";
    }

    @Override
    void preflight(List<String> problems) {
        if (after != null && after < 0) {
            problems.add("--after must be an event id (0 or more).");
        }
        for (String t : types) {
            if (!Event.isKnownType(t)) {
                problems.add("--type " + Printable.text(t) + " is not an event type; known: " + String.join(", ", Event.TYPES) + ".");
            }
        }
        if (group != null && !Names.isValid(group)) {
            problems.add("--group must be 1-63 characters of a-z, 0-9, '.', '_' or '-'.");
        }
        if (limit < 1 || limit > 100_000) {
            problems.add("--limit must be between 1 and 100000.");
        }
    }

    private String filters(LockstepClient client) {
        StringBuilder q = new StringBuilder();
        if (!types.isEmpty()) {
            q.append("&type=").append(LockstepClient.encode(String.join(",", types)));
        }
        if (group != null) {
            q.append("&group=").append(LockstepClient.encode(group));
        }
        if (targetOptions.environmentGiven()) {
            q.append("&environment=").append(LockstepClient.encode(client.target().environment()));
        }
        return q.toString();
    }

    @Override
    int run(LockstepClient client) {
        return follow ? follow(client) : pages(client);
    }

    private int pages(LockstepClient client) {
        List<JsonNode> events = new ArrayList<>();
        long cursor = after == null ? 0 : after;
        boolean more = true;
        while (more && events.size() < limit) {
            int page = Math.min(1000, limit - events.size());
            ApiResponse r = client.get("/api/v1/events?after=" + cursor + "&limit=" + page + filters(client));
            if (!r.ok()) {
                return failedRead(client.target(), r);
            }
            r.json().path("events").forEach(events::add);
            cursor = r.json().path("next_after").asLong(cursor);
            more = r.json().path("more").asBoolean(false);
        }
        if (json) {
            printJson(Map.of("events", events, "next_after", cursor, "more", more));
        } else {
            for (JsonNode e : events) {
                out.println(line(e));
            }
            if (more) {
                err.println("lockstep: more events follow; continue with --after " + cursor);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int follow(LockstepClient client) {
        String path = "/api/v1/events" + filters(client).replaceFirst("^&", "?");
        String lastId = after == null ? null : Long.toString(after);
        Duration backoff = Duration.ofSeconds(1);
        while (!Thread.currentThread().isInterrupted()) {
            String[] last = {lastId};
            boolean[] progressed = {false};
            EventStreamReader.End end = client.stream(path, lastId, SILENCE, m -> {
                if (m.id() != null) {
                    last[0] = m.id();
                    progressed[0] = true;
                }
                if (m.data() != null) {
                    print(m.data());
                }
            });
            lastId = last[0];
            if ("token_expired".equals(end.serverEnded())) {
                // the same token would be refused (or ended again at once): say so once instead of retrying
                err.println("lockstep: " + client.target().name() + ": events: the token expired, so the server ended"
                        + " the stream" + (lastId == null ? "" : " after event " + lastId) + "; run again with a fresh token"
                        + (lastId == null ? "" : " and --after " + lastId) + ".");
                err.flush();
                return ExitCodes.FAILED;
            }
            if (progressed[0]) {
                backoff = Duration.ofSeconds(1);
            }
            Duration wait = backoff;
            if (end.refused() != null) {
                ApiResponse r = end.refused();
                if (!r.unreachable() && r.status() != 503) {
                    return failedRead(client.target(), r); // 4xx: asking again cannot help
                }
                wait = retryAfter(r, backoff);
                err.println("lockstep: " + client.target().name() + ": events: " + r.describe() + "; retrying in "
                        + wait.toSeconds() + "s");
            } else {
                err.println("lockstep: " + client.target().name() + ": events: " + end.reason() + "; reconnecting"
                        + (lastId == null ? "" : " after event " + lastId));
            }
            err.flush();
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        return ExitCodes.OK;
    }

    private static Duration retryAfter(ApiResponse r, Duration fallback) {
        try {
            long s = Long.parseLong(r.retryAfter() == null ? "" : r.retryAfter().trim());
            return s >= 0 && s <= 300 ? Duration.ofSeconds(s) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void print(String data) {
        if (json) {
            out.println(data);
        } else {
            try {
                out.println(line(JSON.readTree(data)));
            } catch (IOException e) {
                out.println(Printable.text(data));
            }
        }
        out.flush();
    }

    private void printJson(Object doc) {
        try {
            out.println(Printable.json(false).writeValueAsString(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code 42 2026-11-30T08:00:00Z pin.promoted prod claude-code/global sha256:1234567890ab → sha256:… by ci}. */
    static String line(JsonNode n) {
        Event e = EventJson.read(n);
        StringBuilder b = new StringBuilder();
        b.append(e.id()).append(' ').append(e.at()).append(' ').append(e.type()).append(' ')
                .append(e.environment() == null ? "-" : e.environment());
        String what = e.template() != null ? e.template() + (e.region() == null ? "" : "/" + e.region())
                : e.group() != null ? "group " + e.group() : null;
        if (what != null) {
            b.append(' ').append(what);
        }
        String summary = summary(e.type(), n.path("data"));
        if (!summary.isEmpty()) {
            b.append(' ').append(summary);
        }
        if (e.actor() != null) {
            b.append(" by ").append(e.actor());
        }
        return Printable.text(b.toString());
    }

    private static String summary(String type, JsonNode data) {
        if (Event.PIN_PROMOTED.equals(type) || Event.PIN_ROLLED_BACK.equals(type)) {
            String from = short12(data.path("from").path("digest").asText(null));
            String to = short12(data.path("to").path("digest").asText(null));
            String release = data.path("release").asText(null);
            return (from == null ? "(new)" : from) + " → " + to + (release == null ? "" : " (release " + release + ")");
        }
        if (Event.RELEASE_PROMOTED.equals(type)) {
            return "release " + data.path("release").asText() + " moved " + data.path("moved").size() + " pin(s)";
        }
        if (Event.OVERRIDE_USED.equals(type)) {
            return "override: " + data.path("reason").asText() + " (lifted " + data.path("overrode") + ")";
        }
        return data.isMissingNode() || data.isEmpty() ? "" : data.toString();
    }

    private static String short12(String digest) {
        if (digest == null) {
            return null;
        }
        return digest.startsWith("sha256:") && digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
