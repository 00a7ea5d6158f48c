package io.lockstep.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compare-and-set promotes of ONE pin from many threads through the HTTP API, the way CI jobs race:
 * read the pin, promote a new digest with {@code expected_digest} = what was read, and on
 * {@code 409 DIGEST_CONFLICT} read again and retry (a bounded number of times). Every
 * {@code 200 "updated"} is recorded with the history seq the server returned, so the result can
 * be checked against the pin's history row by row.
 */
public final class CasPromoteLoad {
    /** Retries per promote; a promote still conflicting after this many attempts is given up. */
    public static final int MAX_ATTEMPTS = 200;

    private final String env;
    private final String template;

    public CasPromoteLoad(String env, String template) {
        this.env = env;
        this.template = template;
    }

    /** One acknowledged promote: the digest it set and the history seq the server reported. */
    public record Ack(long seq, String digest) {
    }

    /** What the threads saw. {@code acks} is sorted by history seq. */
    public record Result(String initialDigest, List<Ack> acks, int conflicts, int gaveUp) {
    }

    /**
     * Creates the pin (one {@code created} history row), then runs {@code threadsPerServer} threads
     * against each server, each doing {@code promotesPerThread} compare-and-set promotes.
     */
    public Result run(List<Http> servers, int threadsPerServer, int promotesPerThread) throws Exception {
        String initial = TestConfig.digest(template + "-initial");
        Http.Response created = servers.get(0).post(promotePath(), TestConfig.CI, body(initial, null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        List<Ack> acks = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int s = 0; s < servers.size(); s++) {
            for (int t = 0; t < threadsPerServer; t++) {
                Http http = servers.get(s);
                String worker = "s" + s + "t" + t;
                workers.add(() -> {
                    for (int i = 0; i < promotesPerThread; i++) {
                        promoteUntilAcked(http, TestConfig.digest(template + "-" + worker + "-" + i), acks, conflicts, gaveUp);
                    }
                    return null;
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
            for (Future<Void> f : pool.invokeAll(workers, 60, TimeUnit.SECONDS)) {
                f.get(); // rethrows a worker's assertion failure
            }
        } finally {
            pool.shutdownNow();
        }
        List<Ack> sorted = new ArrayList<>(acks);
        sorted.sort(Comparator.comparingLong(Ack::seq));
        return new Result(initial, sorted, conflicts.get(), gaveUp.get());
    }

    private void promoteUntilAcked(Http http, String digest, List<Ack> acks, AtomicInteger conflicts,
                                   AtomicInteger gaveUp) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String expected = PinHistory.currentDigest(http, env, template);
            Http.Response r = http.post(promotePath(), TestConfig.CI, body(digest, expected));
            if (r.status() == 200 && "updated".equals(r.json().path("result").asText())) {
                acks.add(new Ack(r.json().path("history_seq").asLong(), digest));
                return;
            }
            assertThat(r.status()).as("only 200 updated or 409 DIGEST_CONFLICT are acceptable: %s", r.body())
                    .isEqualTo(409);
            assertThat(r.code()).isEqualTo("DIGEST_CONFLICT");
            assertThat(r.json().path("current_digest").asText()).as("the conflict names the current digest")
                    .startsWith("sha256:").isNotEqualTo(expected);
            conflicts.incrementAndGet();
        }
        gaveUp.incrementAndGet();
    }

    /**
     * The acknowledged promotes are exactly the pin's history after its creation, in seq order;
     * each row moves the pin from the digest the previous row set (nothing lost, nothing
     * interleaved); the pin holds the digest of the last acknowledged promote; the chain verifies.
     */
    public void assertSerialised(Http http, Result result) {
        List<JsonNode> history = PinHistory.oldestFirst(http, env, template);
        assertThat(result.acks()).as("at least one promote succeeded").isNotEmpty();
        assertThat(history).as("one row for the create plus one per acknowledged promote")
                .hasSize(result.acks().size() + 1);

        JsonNode first = history.get(0);
        assertThat(first.path("from_digest").isNull()).isTrue();
        assertThat(first.path("to_digest").asText()).isEqualTo(result.initialDigest());
        List<Ack> recorded = history.subList(1, history.size()).stream()
                .map(e -> new Ack(e.path("seq").asLong(), e.path("to_digest").asText())).toList();
        assertThat(recorded).as("history rows after the create == acknowledged promotes").isEqualTo(result.acks());
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).path("from_digest").asText()).as("row %d starts where row %d ended", i, i - 1)
                    .isEqualTo(history.get(i - 1).path("to_digest").asText());
        }

        Ack last = result.acks().get(result.acks().size() - 1);
        assertThat(PinHistory.currentDigest(http, env, template)).isEqualTo(last.digest());
        PinHistory.assertChainValid(http, history.size());
    }

    /** A forced collision: the digest every contender expected, the one that won, and the answers of the rest. */
    public record Collision(String expected, String winner, List<Http.Response> refused) {
    }

    /**
     * {@code contenders} compare-and-set promotes of the pin, spread over {@code servers}, all expecting
     * its current digest, sent while the test holds the store's write lock; the lock is released only
     * once every one of them is queued behind it. They then run one after another whatever the
     * scheduling, so the collision is certain: exactly one may win, every other one must be refused
     * with {@code 409 DIGEST_CONFLICT} naming the winner's digest, and the history gains one row.
     */
    public Collision collide(List<Http> servers, int contenders, StoreWriteLock held) throws Exception {
        String expected = PinHistory.currentDigest(servers.get(0), env, template);
        int rowsBefore = PinHistory.oldestFirst(servers.get(0), env, template).size();
        assertThat(expected).as("collide needs an existing pin").isNotNull();
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        List<Future<Http.Response>> answers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        try {
            try (held) {
                for (int i = 0; i < contenders; i++) {
                    Http http = servers.get(i % servers.size());
                    String digest = TestConfig.digest(template + "-collision-" + i + "-" + System.nanoTime());
                    digests.add(digest);
                    answers.add(pool.submit(() -> http.post(promotePath(), TestConfig.CI, body(digest, expected))));
                }
                org.awaitility.Awaitility.await("all " + contenders + " promotes queued behind the write lock")
                        .atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(20))
                        .until(() -> held.waiting() >= contenders);
            }
            String winner = null;
            List<Http.Response> refused = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                Http.Response r = answers.get(i).get(60, TimeUnit.SECONDS);
                if (r.status() == 200 && "updated".equals(r.json().path("result").asText())) {
                    assertThat(winner).as("a second promote won against the same expected digest: %s", r.body()).isNull();
                    winner = digests.get(i);
                } else {
                    refused.add(r);
                }
            }
            assertThat(winner).as("one of the colliding promotes must win").isNotNull();
            for (Http.Response r : refused) {
                assertThat(r.status()).as(r.body()).isEqualTo(409);
                assertThat(r.code()).isEqualTo("DIGEST_CONFLICT");
                assertThat(r.json().path("current_digest").asText()).as("the conflict names the winner").isEqualTo(winner);
            }
            List<JsonNode> history = PinHistory.oldestFirst(servers.get(0), env, template);
            assertThat(history).as("exactly one history row for the collision").hasSize(rowsBefore + 1);
            JsonNode last = history.get(history.size() - 1);
            assertThat(last.path("from_digest").asText()).isEqualTo(expected);
            assertThat(last.path("to_digest").asText()).isEqualTo(winner);
            return new Collision(expected, winner, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    private String promotePath() {
        return "/api/v1/environments/" + env + "/pins/" + template + "/promote";
    }

    private static String body(String digest, String expected) {
        return "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\""
                + (expected == null ? "" : ",\"expected_digest\":\"" + expected + "\"") + "}";
    }
}
