package dev.transcript.command.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Whether a publication failure is one that retrying cannot fix: the event is too large for the record
 * limits, cannot be read from the store or encoded, or the broker refused it for good. A broker that is
 * down or slow is not: those failures are retriable and pass when it is back.
 */
final class Unfixable {

    private Unfixable() {
    }

    static boolean failure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RetriableException) {
                return false;
            }
            if (cause instanceof RecordTooLargeException || cause instanceof SerializationException
                    || cause instanceof ApiException || cause instanceof JsonProcessingException
                    || cause instanceof org.axonframework.serialization.SerializationException
                    || cause instanceof ClassCastException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message: what an operator needs to act, without the wrapping. */
    static String why(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
