package dev.transcript.command.support;

import dev.transcript.command.conversation.PostMessage;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/**
 * Test fixture: once armed, the next PostMessage whose content is {@link #LOSE} has its database backend
 * terminated ({@code pg_terminate_backend}, as a PostgreSQL restart or a failover would) after the event
 * store inserted its event and before the transaction commits.
 */
public class LostConnections implements MessageHandlerInterceptor<CommandMessage<?>> {

    public static final String LOSE = "lose the connection";

    private final JdbcTemplate jdbc;
    private final String url;
    private final AtomicBoolean armed = new AtomicBoolean();

    public LostConnections(JdbcTemplate jdbc, String url) {
        this.jdbc = jdbc;
        this.url = url;
    }

    public void arm() {
        armed.set(true);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (unitOfWork.getMessage().getPayload() instanceof PostMessage post && LOSE.equals(post.content())
                && armed.compareAndSet(true, false)) {
            // Registered after the handler ran, so it runs after the event store's insert in this phase:
            // the transaction that holds the event meets a connection that is gone when it commits.
            unitOfWork.onPrepareCommit(u -> terminate(jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class)));
        }
        return result;
    }

    private void terminate(int backend) {
        try (Connection other = DriverManager.getConnection(url, "postgres", "")) {
            other.createStatement().execute("SELECT pg_terminate_backend(" + backend + ")");
            await("backend " + backend + " is gone").atMost(Duration.ofSeconds(20)).until(() -> {
                try (var gone = other.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + backend)) {
                    return gone.next() && gone.getInt(1) == 0;
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("could not terminate backend " + backend, e);
        }
    }
}
