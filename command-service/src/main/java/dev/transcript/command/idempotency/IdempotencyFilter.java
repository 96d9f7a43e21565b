package dev.transcript.command.idempotency;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

import java.io.IOException;

/** Keeps the body of a keyed POST readable for its fingerprint; refuses a key that is too long. */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(IdempotencyKey.HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(IdempotencyKey.HEADER);
        if (key.isBlank() || key.length() > IdempotencyKey.MAX_LENGTH) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("""
                    {"type":"about:blank","title":"Invalid field","status":400,\
                    "detail":"Idempotency-Key must be 1 to 255 characters",\
                    "errors":[{"field":"Idempotency-Key","message":"must be 1 to 255 characters"}]}""");
            return;
        }
        chain.doFilter(new ContentCachingRequestWrapper(request), response);
    }
}
