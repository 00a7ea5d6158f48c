package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.WebhookFormat;
import io.lockstep.store.Store;
import io.lockstep.wire.WebhookJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * Reads the outbox once for all of this replica's {@link DeliveryWorker}s and keeps the most recent events
 * ({@value #KEEP}) in memory, then wakes the workers, which take their events from here instead of each querying
 * the store. A worker further behind than that (after a restart, a long outage of its receiver) reads the store
 * itself. Each event's body is built once per format and shared by the subscriptions that use that format.
 * <p>
 * This process's commits hand their events over as stored ({@link Store#onEventsWritten}), so the common case
 * costs no query. The store is read when that cannot be enough: another replica committed
 * ({@link Store#onChangeElsewhere}), a hand-over leaves a gap in the ids (an earlier commit's hand-over is late, or
 * never came), and on every poll as a safety net.
 * <p>
 * What is kept is exactly the events with ids in {@code (from, upTo]}: ids are given under the write lock, one
 * more than the newest stored, and commits are serialised, so committed ids have no gaps and once the reader holds
 * the events up to {@code upTo} no later commit can add one below it. A handed-over event is taken only when its
 * id is {@code upTo + 1}.
 */
final class OutboxReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxReader.class);
    static final int KEEP = 2000;
    private static final int READ = 500;
    private final Store store;
    private final Duration poll;
    private final int keep;
    private final BooleanSupplier active;
    private final Runnable newEvents;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    /** Events this process committed, handed over and not taken yet; in commit order but for races between commits. */
    private final Queue<Event> handed = new ConcurrentLinkedQueue<>();
    /** Whether the store must be read: set by a commit elsewhere and by the poll. */
    private volatile boolean look = true;
    private volatile boolean stopped;
    private volatile Thread thread;
    /** What is in memory; null until the first read (or while no subscription needs it). */
    private volatile Window window;

    /** Events with ids in {@code (from, upTo]}, in id order. */
    private record Window(long from, long upTo, List<Outgoing> events) {
    }

    /** An event on its way out, with its body in each format built at most once. */
    static final class Outgoing {
        private final Event event;
        private final AtomicReferenceArray<byte[]> bodies = new AtomicReferenceArray<>(WebhookFormat.values().length);

        Outgoing(Event event) {
            this.event = event;
        }

        Event event() {
            return event;
        }

        /** The exact bytes sent (and signed) to every subscription of {@code format}: never modify them. */
        byte[] body(WebhookFormat format) {
            byte[] b = bodies.get(format.ordinal());
            if (b == null) {
                b = WebhookJson.body(format, event);
                bodies.compareAndSet(format.ordinal(), null, b);
            }
            return bodies.get(format.ordinal());
        }
    }

    /**
     * {@code keep}: how many recent events stay in memory; {@code active}: whether any subscription exists (else
     * nothing is read); {@code newEvents}: wakes the workers.
     */
    OutboxReader(Store store, Duration poll, int keep, BooleanSupplier active, Runnable newEvents) {
        this.store = store;
        this.poll = poll;
        this.keep = keep;
        this.active = active;
        this.newEvents = newEvents;
    }

    void start() {
        Thread t = new Thread(this, "lockstep-webhook-outbox");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** This process committed {@code events} (id order, as stored). Cheap, called on the committing thread. */
    void handed(List<Event> events) {
        if (!active.getAsBoolean()) {
            return; // nobody to read for: the first look of a new subscription starts from the store's newest
        }
        handed.addAll(events);
        wake.offer(Boolean.TRUE);
    }

    /** New events may be in the store that were not handed over (another replica's, a subscription just added). */
    void wake() {
        look = true;
        wake.offer(Boolean.TRUE);
    }

    void stop() {
        stopped = true;
        wake();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                if (read()) {
                    newEvents.run();
                }
            } catch (RuntimeException e) {
                window = null; // start again from the store's newest
                LOG.warn("webhook outbox not read: {}", e.getMessage());
            }
            try {
                if (wake.poll(poll.toMillis(), TimeUnit.MILLISECONDS) == null) {
                    look = true; // the safety net: whatever was never handed over nor told of
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Takes what was committed since the last read: the events handed over, and what the store holds after them when
     * it must be read ({@link #wake}, a gap in the handed ids, the poll). True when there was something.
     */
    boolean read() {
        if (!active.getAsBoolean()) {
            window = null; // nobody to read for; a stale window would only cost a long read later
            handed.clear();
            return false;
        }
        Window w = window;
        if (w == null) {
            look = false;
            long last = store.lastEventId();
            window = new Window(last, last, List.of());
            handed.removeIf(e -> e.id() <= last);
            if (handed.isEmpty()) {
                return false; // workers behind it read the store themselves
            }
            w = window;
        }
        List<Outgoing> added = new ArrayList<>();
        long upTo = w.upTo();
        List<Event> taken = new ArrayList<>();
        for (Event e; (e = handed.poll()) != null; ) {
            taken.add(e);
        }
        taken.sort(Comparator.comparingLong(Event::id));
        for (Event e : taken) {
            if (e.id() == upTo + 1) {
                added.add(new Outgoing(e));
                upTo = e.id();
            } else if (e.id() > upTo) {
                look = true; // a gap: what is missing is committed, so the store has it
                break;
            }
        }
        if (look) {
            look = false; // before the query: a wake while it runs asks for another
            while (true) {
                List<Event> got = store.eventsAfter(upTo, READ);
                for (Event e : got) {
                    added.add(new Outgoing(e));
                }
                if (!got.isEmpty()) {
                    upTo = got.get(got.size() - 1).id();
                }
                if (got.size() < READ) {
                    break;
                }
            }
        }
        if (added.isEmpty()) {
            return false;
        }
        List<Outgoing> all = new ArrayList<>(w.events().size() + added.size());
        all.addAll(w.events());
        all.addAll(added);
        long from = w.from();
        if (all.size() > keep) {
            from = all.get(all.size() - keep - 1).event().id(); // the newest dropped
            all = all.subList(all.size() - keep, all.size());
        }
        window = new Window(from, upTo, List.copyOf(all));
        return true;
    }

    /**
     * Events after {@code cursor}, oldest first, at most {@code limit}: from memory when it holds what follows
     * {@code cursor}, else from the store. Events committed since the last read come with the next wake.
     */
    List<Outgoing> after(long cursor, int limit) {
        Window w = window;
        if (w == null || cursor < w.from() || cursor > w.upTo()) {
            return store.eventsAfter(cursor, limit).stream().map(Outgoing::new).toList();
        }
        List<Outgoing> es = w.events();
        int lo = 0;
        int hi = es.size();
        while (lo < hi) { // first event with an id above cursor
            int mid = (lo + hi) >>> 1;
            if (es.get(mid).event().id() <= cursor) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return es.subList(lo, Math.min(es.size(), lo + limit));
    }
}
