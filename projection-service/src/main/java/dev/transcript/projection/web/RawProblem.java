package dev.transcript.projection.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem+json body written where Spring MVC does not run: in a filter, or in Tomcat before the request
 * reaches the application. Only the status's standard title and a fixed detail, never an exception's text.
 */
final class RawProblem {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawProblem() {
    }

    static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    static byte[] body(int status, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number is always writable", e);
        }
    }

    /** What a client can be told about a status Tomcat or a filter answered on its own. */
    static String detailFor(int status) {
        return switch (status) {
            case 400 -> "the request could not be parsed (request line, headers or URI); nothing was done";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            default -> status >= 500 ? "an unexpected error occurred; it has been logged" : "the request was refused";
        };
    }
}
