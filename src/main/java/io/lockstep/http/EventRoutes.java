package io.lockstep.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.lockstep.auth.ApiToken;
import io.lockstep.auth.Scope;
import io.lockstep.config.EventStreamSection;
import io.lockstep.domain.Event;
import io.lockstep.domain.EventFilter;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.service.events.EventFeed;
import io.lockstep.wire.EventJson;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/events}: the outbox for readers (issue 13 item 3). As plain JSON pages for scripts
 * ({@code ?after=ID&limit=N}), or, with {@code Accept: text/event-stream}, as Server-Sent Events that resume
 * from {@code Last-Event-ID}. Same filters, same access rule ({@link EventFilter}) for both.
 *
 * <p>A stream is a blocking loop on its request thread: it holds one thread and one request permit for as long
 * as it is open, so at most {@code events.stream.max_clients} are open at once and the next is refused
 * {@code 503 SERVER_BUSY}. A client that went away is noticed at the next write (an event or a heartbeat),
 * which ends the loop and frees its place.
 *
 * <p>A stream never outlives the credential that opened it ({@link Lease}): it ends at the credential's end by
 * the server's clock (an ID token's {@code exp}) and when a re-check says it is gone (a signed-out session),
 * noticed before any write and on every poll tick, so no event written after that is sent.
 */
public final class EventRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** How many events a stream reads per store query while catching up. */
    private static final int STREAM_BATCH = 200;

    private final EventFeed feed;
    private final Access access;
    private final EventStreamSection limits;
    private final Semaphore streams;
    private final AtomicInteger open = new AtomicInteger();
    private final Clock clock;

    public EventRoutes(EventFeed feed, Access access, EventStreamSection limits, Clock clock) {
        this.feed = feed;
        this.access = access;
        this.limits = limits;
        this.streams = new Semaphore(limits.maxClients());
        this.clock = clock;
    }

    /**
     * What keeps a stream open: its credential, until {@code endsAt} (null: no fixed end) and while
     * {@code stillValid} answers true (asked before each write of events and once per heartbeat or poll tick; null: nothing to
     * re-check). {@code ended} names why it ended, in the stream's last comment ({@code : stream ended: …}).
     */
    public record Lease(Instant endsAt, BooleanSupplier stillValid, String ended) {
        /** An API caller's: until its token expires (never, for a configured token). */
        static Lease of(ApiToken caller) {
            return new Lease(caller.expiresAt(), null, "token_expired");
        }
    }

    public void register(RoutesConfig r) {
        r.get("/api/v1/events", this::events);
    }

    /** Streams open right now (tests wait on it to see a gone client noticed). */
    public int openStreams() {
        return open.get();
    }

    private void events(Context ctx) throws IOException {
        ApiToken caller = access.require(ctx, Scope.READ);
        EventFilter filter = filter(ctx, caller);
        Long after = Query.optionalLong(ctx, "after");
        if (after != null && after < 0) {
            throw new LockstepException(Problem.INVALID_PARAMETER, "after must be an event id (0 or more).");
        }
        if (wantsStream(ctx)) {
            stream(ctx, filter, after, Lease.of(caller));
            return;
        }
        int limit = Query.integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long from = after == null ? 0 : after;
        if (from > 0) {
            feed.requireKept(from);
        }
        EventFeed.Page page = feed.page(from, limit, filter);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", page.events().stream().map(EventJson::write).toList());
        out.put("next_after", page.next());
        out.put("more", page.more());
        Respond.json(ctx, 200, out);
    }

    private EventFilter filter(Context ctx, ApiToken caller) {
        Set<String> types = new LinkedHashSet<>();
        String typeList = ctx.queryParam("type");
        if (typeList != null) {
            for (String t : typeList.split(",", -1)) {
                String type = t.trim();
                if (!Event.isKnownType(type)) {
                    throw new LockstepException(Problem.INVALID_PARAMETER, "type " + Names.quoteForError(type)
                            + " is not an event type; known: " + String.join(", ", Event.TYPES) + ".");
                }
                types.add(type);
            }
        }
        String environment = ctx.queryParam("environment");
        if (environment != null) {
            Names.require("environment", environment);
            environment = access.environment(caller, environment); // 403 outside the token, 404 not hosted
        }
        String group = ctx.queryParam("group");
        if (group != null) {
            Names.require("group", group);
        }
        return new EventFilter(types, environment, group, caller.environments());
    }

    private static boolean wantsStream(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
    }

    /**
     * A stream for a caller authenticated another way (the dashboard's session, {@code GET /ui/events}): the same
     * loop, resumption and {@code max_clients} limit; starts from now, or after {@code Last-Event-ID}.
     */
    public void stream(Context ctx, EventFilter filter, Lease lease) throws IOException {
        stream(ctx, filter, null, lease);
    }

    /** Where a stream starts: after {@code Last-Event-ID} (a reconnect), else {@code ?after=}, else from now on. */
    private long start(Context ctx, Long after) {
        String last = ctx.header("Last-Event-ID");
        if (last != null && !last.isBlank()) {
            try {
                long id = Long.parseLong(last.trim());
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new LockstepException(Problem.INVALID_PARAMETER, "Last-Event-ID must be an event id (0 or more)"
                    + " as sent in a stream's id: lines.");
        }
        return after != null ? after : feed.newest();
    }

    private void stream(Context ctx, EventFilter filter, Long after, Lease lease) throws IOException {
        long cursor = start(ctx, after);
        if (cursor > 0) {
            feed.requireKept(cursor);
        }
        if (!streams.tryAcquire()) {
            ctx.header("Retry-After", "5");
            throw new LockstepException(Problem.SERVER_BUSY, "Lockstep already serves " + limits.maxClients()
                    + " event streams (events.stream.max_clients); retry later or read pages with ?after=.");
        }
        open.incrementAndGet();
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream;charset=utf-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no"); // nginx: pass events on at once
            ServletOutputStream out = res.getOutputStream();
            // An id without data sets the client's Last-Event-ID without an event (the SSE spec), so a client
            // whose first connection drops before any event resumes from where it started, not from "now".
            write(out, "retry: 2000\nid: " + cursor + "\n: lockstep event stream after " + cursor + "\n\n");
            long lastWrite = System.nanoTime();
            long lastCheck = System.nanoTime();
            Duration recheckEvery = limits.heartbeat().compareTo(limits.poll()) < 0 ? limits.heartbeat() : limits.poll();
            while (!feed.isClosed()) {
                long seen = feed.version();
                EventFeed.Page page = feed.page(cursor, STREAM_BATCH, filter);
                StringBuilder chunk = new StringBuilder();
                for (Event e : page.events()) {
                    chunk.append("id: ").append(e.id()).append("\nevent: ").append(e.type())
                            .append("\ndata: ").append(EventJson.text(e)).append("\n\n");
                }
                // Checked after the read: an event the read saw was written after anything that ended the lease
                // before it, so ending here sends none of those.
                boolean tick = System.nanoTime() - lastCheck >= recheckEvery.toNanos();
                if (ended(lease, !chunk.isEmpty() || tick)) {
                    write(out, ": stream ended: " + lease.ended() + "\n\n");
                    return;
                }
                if (!chunk.isEmpty() || tick) {
                    lastCheck = System.nanoTime();
                }
                // Past filtered-out events too: the client's Last-Event-ID (the last id sent) still resumes right.
                cursor = page.next();
                if (!chunk.isEmpty()) {
                    write(out, chunk.toString());
                    lastWrite = System.nanoTime();
                }
                if (page.more()) {
                    continue;
                }
                Duration idle = Duration.ofNanos(System.nanoTime() - lastWrite);
                if (idle.compareTo(limits.heartbeat()) >= 0) {
                    write(out, ": heartbeat\n\n");
                    lastWrite = System.nanoTime();
                    idle = Duration.ZERO;
                }
                Duration untilHeartbeat = limits.heartbeat().minus(idle);
                Duration wait = untilHeartbeat.compareTo(limits.poll()) < 0 ? untilHeartbeat : limits.poll();
                if (lease.endsAt() != null) { // wake at the end itself, not a tick later
                    Duration untilEnd = Duration.between(clock.instant(), lease.endsAt()).plusMillis(1);
                    wait = untilEnd.compareTo(wait) < 0 ? untilEnd : wait;
                }
                feed.await(seen, wait.isNegative() ? Duration.ZERO : wait);
            }
        } catch (IOException gone) {
            // The client went away (or the connection broke): nothing to answer, just free its place.
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
            streams.release();
        }
    }

    /** True when the lease is over: its end has come by the server's clock, or (when {@code recheck}) it is gone. */
    private boolean ended(Lease lease, boolean recheck) {
        if (lease.endsAt() != null && !clock.instant().isBefore(lease.endsAt())) {
            return true;
        }
        return recheck && lease.stillValid() != null && !lease.stillValid().getAsBoolean();
    }

    private static void write(ServletOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
