package io.lockstep.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

import java.time.Duration;

/**
 * The limits that keep resolve answering whatever other clients do (docs/security.md, "Limits that
 * protect resolve"). Resolve is answered on the selector threads, but new connections are set up on
 * the thread pool, so a pool whose every thread is parked (in a slow body read, or waiting for a
 * database that is gone) stops resolve for every client that has to connect. These limits keep a
 * share of the pool that no request can take:
 *
 * <ul>
 * <li>at most {@code maxRequests} requests run on the pool at once (every route but a successful
 *     resolve), and of those at most {@code maxBodyRequests} carry a request body, the only kind a
 *     client can stretch out at will;</li>
 * <li>requests over a limit wait without a thread, at most {@code maxWaiting} of them for at most
 *     {@code maxWait}; past either they get {@code 503 SERVER_BUSY} with {@code Retry-After};</li>
 * <li>a body must keep arriving at {@code minBodyBytesPerSecond} on average ({@code 408} otherwise),
 *     and a connection that sends nothing for {@code idleTimeout} is closed (a body read that was
 *     waiting on it is answered {@code 408}).</li>
 * </ul>
 *
 * @param poolThreads         size of the server's thread pool (selectors and the acceptor live here too)
 * @param maxRequests         requests handled on the pool at once; the rest of the pool is Jetty's own
 * @param maxBodyRequests     of those, requests with a body
 * @param maxWaiting          requests queued (without a thread) per limit before the next is refused
 * @param maxWait             how long a queued request waits for its turn
 * @param minBodyBytesPerSecond lowest average rate a body may arrive at
 * @param idleTimeout         a connection that sends and receives nothing for this long is closed
 */
record RequestLimits(int poolThreads, int maxRequests, int maxBodyRequests, int maxWaiting, Duration maxWait,
                     long minBodyBytesPerSecond, Duration idleTimeout) {
    /**
     * Bodies are at most 1 MiB and real clients send them in one go. Jetty averages the rate over
     * the whole request, so time before the body is read counts too: at 1 KiB/s a 300-byte promote
     * whose body came 300 ms late (a busy CI runner, a GC pause) was refused 408 in a clean-clone CI
     * run. 128 B/s gives such a body over two seconds and still cuts off a client dripping a byte a
     * second within seconds.
     */
    static final RequestLimits DEFAULT = new RequestLimits(200, 100, 32, 256, Duration.ofSeconds(5), 128,
            Duration.ofSeconds(30));

    RequestLimits {
        if (maxBodyRequests > maxRequests || maxRequests >= poolThreads) {
            throw new IllegalArgumentException("limits must nest: body requests <= requests < pool threads");
        }
    }

    ThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(poolThreads, 8, 60_000);
        pool.setName("lockstep-http");
        return pool;
    }

    void configure(ServerConnector connector, HttpConfiguration http) {
        connector.setIdleTimeout(idleTimeout.toMillis());
        http.setMinRequestDataRate(minBodyBytesPerSecond);
        http.setIdleTimeout(idleTimeout.toMillis());
    }

    /**
     * The concurrency limits, innermost last: {@code inner} (the servlet stack) runs only with a
     * permit from both.
     */
    Handler.Wrapper around(Handler.Wrapper outer) {
        ConcurrencyLimit bodies = new ConcurrencyLimit(maxBodyRequests, maxWaiting, maxWait,
                "too many requests with a body are in progress");
        bodies.include(RequestLimits::hasBody);
        ConcurrencyLimit all = new ConcurrencyLimit(maxRequests, maxWaiting, maxWait, "too many requests are in progress");
        outer.setHandler(bodies);
        bodies.setHandler(all);
        return all;
    }

    /** Whether the client announced a body, which the server may then wait for at the client's pace. */
    static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }
}
