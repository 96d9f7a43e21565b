package dev.transcript.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users and active sessions created over HTTP before a scenario starts, so the scenario measures only
 * PostMessage. Registration is slow on purpose (bcrypt), hence few users sharing many sessions.
 */
final class Fixture {

    private Fixture() {
    }

    static List<CommandApi.Session> sessions(CommandApi api, String runId, int users, int sessions,
                                             int parallelism, long ttlSeconds) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism));
        try {
            List<Future<UUID>> registering = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                // The run id keeps emails unique across runs against the same database (emails are claimed).
                String email = "bench-" + runId + "-" + i + "@example.com";
                registering.add(pool.submit(() -> api.registerUser(email)));
            }
            List<UUID> userIds = new ArrayList<>();
            for (Future<UUID> user : registering) {
                userIds.add(user.get());
            }
            AtomicInteger done = new AtomicInteger();
            List<Future<CommandApi.Session>> starting = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                UUID userId = userIds.get(i % userIds.size());
                starting.add(pool.submit(() -> {
                    CommandApi.Session session = api.startSession(userId, ttlSeconds);
                    api.activate(session.sessionId());
                    int n = done.incrementAndGet();
                    if (n % 100 == 0) {
                        System.err.printf("setup: %d/%d sessions active%n", n, sessions);
                    }
                    return session;
                }));
            }
            List<CommandApi.Session> result = new ArrayList<>();
            for (Future<CommandApi.Session> session : starting) {
                result.add(session.get());
            }
            System.err.printf("setup: %d users, %d active sessions in %.1fs%n", users, sessions,
                    (System.nanoTime() - start) / 1e9);
            return result;
        } finally {
            pool.shutdownNow();
        }
    }
}
