package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.EventFilter;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reading the outbox for the event stream and its pages (issue 13 item 3): the events after a cursor that a
 * filter lets through, and a wake-up for readers waiting for the next commit.
 *
 * <p>Ids are gap-free in commit order (assigned under the write lock; retention deletes only from the oldest
 * end), so a cursor older than the oldest kept event means events were deleted unread: that is refused with
 * {@link Problem#EVENTS_EXPIRED} instead of silently skipping them.
 */
public final class EventFeed {
    /** Rows read per store query while scanning. */
    private static final int BATCH = 500;
    /** Rows one page may scan for matches before it answers with what it found and a cursor to go on from. */
    static final int MAX_SCAN = 5_000;

    private final Store store;
    private final Object monitor = new Object();
    private long version;
    private volatile boolean closed;

    public EventFeed(Store store) {
        this.store = store;
        // Commits of this replica at once, other replicas' through NOTIFY; readers also poll as a safety net.
        store.onChange(change -> wake());
    }

    /**
     * One page: up to {@code limit} events after {@code after} that {@code filter} lets through, oldest first.
     * {@code next} is the cursor to continue from (the last event scanned, matching or not), {@code more} whether
     * events after it existed when the page was read.
     */
    public record Page(List<Event> events, long next, boolean more) {
    }

    public Page page(long after, int limit, EventFilter filter) {
        List<Event> found = new ArrayList<>();
        long cursor = after;
        int scanned = 0;
        while (true) {
            List<Event> batch = store.eventsAfter(cursor, BATCH);
            for (Event e : batch) {
                cursor = e.id();
                scanned++;
                if (filter.matches(e)) {
                    found.add(e);
                    if (found.size() == limit) {
                        return new Page(found, cursor, store.lastEventId() > cursor);
                    }
                }
            }
            if (batch.size() < BATCH) {
                return new Page(found, cursor, false);
            }
            if (scanned >= MAX_SCAN) {
                return new Page(found, cursor, true);
            }
        }
    }

    /**
     * A page read backwards (the dashboard's Activity page): up to {@code limit} events with an id below
     * {@code before} (null: the newest) that {@code filter} lets through, newest first. {@code older} is the
     * {@code before} of the next older page, null when no older event is kept.
     */
    public record Backward(List<Event> events, Long older) {
    }

    public Backward newestFirst(Long before, int limit, EventFilter filter) {
        long first = store.firstEventId();
        long cursor = before == null ? store.lastEventId() + 1 : before; // ids below this are still to scan
        List<Event> found = new ArrayList<>();
        int scanned = 0;
        // The store reads forwards only: read the window of BATCH ids below the cursor. Ids are gap-free, and
        // even with gaps a window of BATCH ids holds at most BATCH events, so none is skipped.
        while (cursor > first && first > 0) {
            long from = Math.max(first - 1, cursor - 1 - BATCH);
            List<Event> batch = store.eventsAfter(from, BATCH);
            for (int i = batch.size() - 1; i >= 0; i--) {
                Event e = batch.get(i);
                if (e.id() >= cursor) {
                    continue;
                }
                scanned++;
                if (filter.matches(e)) {
                    found.add(e);
                    if (found.size() == limit) {
                        return new Backward(found, e.id() > first ? e.id() : null);
                    }
                }
            }
            cursor = from + 1;
            if (scanned >= MAX_SCAN && cursor > first) {
                return new Backward(found, cursor); // a page of what a bounded scan found; go on from there
            }
        }
        return new Backward(found, null);
    }

    /** Refuses a resume from {@code after} when retention deleted events after it (they would be skipped). */
    public void requireKept(long after) {
        long first = store.firstEventId();
        if (first > 0 && after + 1 < first) {
            throw new LockstepException(Problem.EVENTS_EXPIRED, "Events after " + after + " up to " + (first - 1)
                    + " were deleted by retention; the oldest kept event is " + first + ". Resume with after="
                    + (first - 1) + " to accept the gap, or read current state instead.",
                    Map.of("oldest_id", first));
        }
    }

    /** The newest event's id: where a stream without a cursor starts (it shows what happens from now on). */
    public long newest() {
        return store.lastEventId();
    }

    /** The wake-up counter a reader notes before reading, to wait for changes after that read. */
    public long version() {
        synchronized (monitor) {
            return version;
        }
    }

    /** Waits until a commit after {@code seen}, {@link #close}, or {@code max}; returns false once closed. */
    public boolean await(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (monitor) {
            while (version == seen && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
            return !closed;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void wake() {
        synchronized (monitor) {
            version++;
            monitor.notifyAll();
        }
    }

    /** Ends every waiting stream (server shutdown), so none holds a thread while Jetty stops. */
    public void close() {
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
    }
}
