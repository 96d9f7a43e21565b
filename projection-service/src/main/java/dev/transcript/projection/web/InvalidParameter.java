package dev.transcript.projection.web;

/** A path variable or query parameter the read API cannot use: HTTP 400 naming the parameter. */
public class InvalidParameter extends RuntimeException {

    private final String parameter;

    public InvalidParameter(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
