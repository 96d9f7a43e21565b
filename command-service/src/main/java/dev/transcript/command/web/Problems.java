package dev.transcript.command.web;

import dev.transcript.command.Conflict;
import dev.transcript.command.InvalidField;
import dev.transcript.command.NotFound;
import dev.transcript.command.eventstore.AppendDeadlineExceeded;
import dev.transcript.command.idempotency.KeyReused;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.ClientAbortException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every refusal as RFC 7807 {@code application/problem+json}: 400 names the field, 404 the missing
 * thing, 409 the state conflict, 413 a body too large, 503 with Retry-After a command the database could
 * not take, 500 anything unexpected (logged, never shown). A refused command has appended nothing: its
 * transaction rolled back.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    @ExceptionHandler(InvalidField.class)
    ProblemDetail invalidField(InvalidField e) {
        return invalid(List.of(Map.of("field", e.field(), "message", e.getMessage())));
    }

    @ExceptionHandler({NotFound.class, AggregateNotFoundException.class})
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found",
                e instanceof AggregateNotFoundException missing
                        ? "no aggregate with id " + missing.getAggregateIdentifier()
                        : e.getMessage());
    }

    @ExceptionHandler(Conflict.class)
    ProblemDetail conflict(Conflict e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    @ExceptionHandler(KeyReused.class)
    ProblemDetail keyReused(KeyReused e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key reused", e.getMessage());
    }

    /** Two commands raced for one aggregate on different nodes; the loser may simply retry. */
    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrentChange(ConcurrencyException e) {
        return problem(HttpStatus.CONFLICT, "Concurrent change", "the aggregate changed concurrently; retry");
    }

    /** The append outlived its deadline and was rolled back (see AppendDeadline); nothing was stored. */
    @ExceptionHandler({AppendDeadlineExceeded.class, TransactionTimedOutException.class})
    ResponseEntity<ProblemDetail> timedOut(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Timed out",
                        "the command took too long to commit and was rolled back; nothing was stored; retry"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(List.of(Map.of("field", e.getName(), "message", "is not a valid " + simpleName(e))));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (causedBy(e, BodyLimit.TooLarge.class)) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Body too large", RawProblem.detailFor(413)));
        }
        return JsonRefusals.fieldError(e)
                .<ResponseEntity<Object>>map(error -> ResponseEntity.badRequest().body(invalid(List.of(error))))
                .orElseGet(() -> ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Malformed request",
                        "the body is not valid JSON of the expected shape")));
    }

    /**
     * The database could not be reached or could not commit: the command rolled back. Handled here, not
     * left to Spring MVC's last resolver, which takes a dropped database connection (an EOFException in
     * the cause chain) for a client that went away and answers nothing, which a client reads as 200.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (causedBy(e, ClientAbortException.class)) {
            return null; // the client has really gone: there is no one to answer
        }
        if (StoreUnreachable.causedBy(e)) {
            log.warn("{} {}: the database could not be reached or could not commit; answered 503",
                    request.getMethod(), request.getRequestURI(), e);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable",
                            "the command could not be committed; nothing was stored; retry"));
        }
        log.error("{} {} failed unexpectedly; answered 500", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", RawProblem.detailFor(500)));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        String detail = errors.stream().map(error -> error.get("field") + " " + error.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid field", detail);
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
