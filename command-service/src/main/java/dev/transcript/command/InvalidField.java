package dev.transcript.command;

/**
 * A field whose value is well-formed but that the aggregate's state makes invalid (a message number the
 * conversation does not have): HTTP 400 naming the field.
 */
public class InvalidField extends RuntimeException {

    private final String field;

    public InvalidField(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
