package dev.transcript.command.support;

import dev.transcript.command.conversation.PostMessage;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: holds the transaction of a PostMessage whose content is {@code "hold"} open after its
 * event row is inserted (so its global index is taken) and before it commits — a slow append, as a long
 * GC pause or a stalled connection would make one. It commits when released or when the hold times out.
 */
public class HoldingAppends implements MessageHandlerInterceptor<CommandMessage<?>> {

    public static final String HOLD = "hold";

    private volatile CountDownLatch inserted = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);
    private volatile Duration holdAtMost = Duration.ofSeconds(30);

    /** Arms the next hold. */
    public void arm(Duration atMost) {
        inserted = new CountDownLatch(1);
        released = new CountDownLatch(1);
        holdAtMost = atMost;
    }

    public boolean awaitInserted(Duration timeout) throws InterruptedException {
        return inserted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void release() {
        released.countDown();
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (unitOfWork.getMessage().getPayload() instanceof PostMessage post && HOLD.equals(post.content())) {
            // Registered after the handler ran, so it runs after the event store's append in this phase.
            unitOfWork.onPrepareCommit(u -> {
                inserted.countDown();
                try {
                    released.await(holdAtMost.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return result;
    }
}
