package dev.transcript.command.publication;

import io.cloudevents.CloudEvent;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The sends of one processor batch: all must be acknowledged before the batch's token may advance. */
final class PendingSends {

    private final List<CompletableFuture<SendResult<String, CloudEvent>>> sends = new ArrayList<>();
    private volatile boolean failed;

    void add(CompletableFuture<SendResult<String, CloudEvent>> send) {
        sends.add(send);
        send.whenComplete((result, failure) -> {
            if (failure != null) {
                failed = true;
            }
        });
    }

    /** True once any send of the batch has failed: the rest need not be tried, the batch will be retried. */
    boolean anyFailed() {
        return failed;
    }

    int size() {
        return sends.size();
    }

    void awaitAll(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
