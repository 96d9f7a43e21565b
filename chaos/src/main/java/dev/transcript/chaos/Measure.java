package dev.transcript.chaos;

/**
 * A per-session figure a read model holds that the acknowledgements predict.
 *
 * @param what      one of {@link What}
 * @param sessionId the session the figure belongs to
 */
record Measure(String readModel, What what, String sessionId, long value) {

    enum What {
        /** Rows of messages: the number of messages acknowledged. */
        MESSAGE_ROWS,
        /** A conversation's messages_count / message_count: the highest number acknowledged. */
        MESSAGES_COUNT,
        /** Sum of a session's charged tokens: the sum acknowledged. */
        TOKENS
    }
}
