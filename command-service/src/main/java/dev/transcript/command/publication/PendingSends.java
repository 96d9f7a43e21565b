package dev.transcript.command.publication;

import io.cloudevents.CloudEvent;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** The sends of one processor batch: all must be acknowledged before the batch's token may advance. */
final class PendingSends {

    /** The first send of the batch that failed: its event and why. */
    record FailedSend(PublishedEvent event, Throwable failure) {
    }

    private final List<CompletableFuture<SendResult<String, CloudEvent>>> sends = new ArrayList<>();
    private final AtomicReference<FailedSend> firstFailure = new AtomicReference<>();

    void add(PublishedEvent event, CompletableFuture<SendResult<String, CloudEvent>> send) {
        sends.add(send);
        send.whenComplete((result, failure) -> {
            if (failure != null) {
                firstFailure.compareAndSet(null, new FailedSend(event, failure));
            }
        });
    }

    /** True once any send of the batch has failed: the rest need not be tried, the batch will be retried. */
    boolean anyFailed() {
        return firstFailure.get() != null;
    }

    Optional<FailedSend> firstFailure() {
        return Optional.ofNullable(firstFailure.get());
    }

    int size() {
        return sends.size();
    }

    void awaitAll(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
