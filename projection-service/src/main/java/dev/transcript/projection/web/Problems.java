package dev.transcript.projection.web;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every refusal of the read API as RFC 7807 {@code application/problem+json}: 400 names the parameter in
 * {@code errors:[{field, message}]}, 404 the missing thing, 503 what cannot be reached, 500 the unexpected
 * (logged, never shown). The content type
 * is set, not negotiated, so a client that accepts only {@code application/json} gets it too.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final List<Class<? extends Throwable>> DATABASE_UNREACHABLE = List.of(
            DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
            CannotCreateTransactionException.class, SQLTransientConnectionException.class,
            SQLNonTransientConnectionException.class, SQLRecoverableException.class);

    @ExceptionHandler(InvalidParameter.class)
    ResponseEntity<Object> invalidParameter(InvalidParameter e) {
        return respond(invalid(List.of(Map.of("field", e.parameter(), "message", e.getMessage()))), new HttpHeaders());
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<Object> notFound(NotFound e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage()), new HttpHeaders());
    }

    @ExceptionHandler(Unavailable.class)
    ResponseEntity<Object> unavailable(Unavailable e) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", e.getMessage()), headers);
    }

    /**
     * Anything else: 503 with Retry-After when the database cannot be reached, else 500 without internals.
     * Answered here rather than left to Spring MVC's last resolver, which takes a dropped database
     * connection (an EOFException in the cause chain) for a client that went away and answers nothing.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (causedBy(e, ClientAbortException.class)) {
            return null; // the client has really gone: there is no one to answer
        }
        if (DATABASE_UNREACHABLE.stream().anyMatch(type -> causedBy(e, type))) {
            log.warn("{} {}: the database could not be reached; answered 503", request.getMethod(),
                    request.getRequestURI(), e);
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "5");
            return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable", "the read models cannot be reached"
                    + " now; retry"), headers);
        }
        log.error("{} {} failed unexpectedly; answered 500", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", RawProblem.detailFor(500)),
                new HttpHeaders());
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A path variable or parameter bound to a type it does not parse as. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(invalid(List.of(Map.of("field", e.getName(), "message", "is not a valid " + simpleName(e)))),
                new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return respond(invalid(List.of(Map.of("field", e.getParameterName(), "message", "is required"))), headers);
    }

    /** Spring's own refusals (unknown path, wrong method, ...) leave through here. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            return respond(problem, headers);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
        HttpHeaders withType = new HttpHeaders();
        withType.putAll(headers);
        withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.getStatus()).headers(withType).body(problem);
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        String detail = errors.stream().map(error -> error.get("field") + " " + error.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid parameter", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static String simpleName(MethodArgumentTypeMismatchException e) {
        return e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
    }
}
