package dev.transcript.command.eventstore;

/** An appending transaction outlived its deadline and was rolled back: nothing it wrote is stored. */
public class AppendDeadlineExceeded extends RuntimeException {

    AppendDeadlineExceeded(Throwable cause) {
        super("the transaction outlived its append deadline and was rolled back", cause);
    }
}
