package dev.transcript.projection.chatapp;

/**
 * chat_app's own database cannot take the poll's writes: no connection, a connection lost, a transaction the server
 * rolled back (a deadlock), a commit that failed. Deliberately not a {@code DataAccessException}: the batch applier
 * and the drainer park an <em>event</em> that fails with one of those, and nothing is wrong with these events. This
 * propagates instead, the poll's PostgreSQL transaction rolls back, and the listener's error handler retries the
 * whole poll with back-off for as long as it takes, as it does when PostgreSQL is down.
 */
public class ChatAppUnavailable extends RuntimeException {

    ChatAppUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
