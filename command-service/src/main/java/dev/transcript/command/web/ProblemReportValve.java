package dev.transcript.command.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Tomcat's own error answers (a malformed request line, an encoded slash in a path, headers too large)
 * as problem+json instead of Tomcat's HTML page. Errors the application answers itself pass untouched:
 * the base valve only reports when nothing was written.
 */
final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            byte[] body = RawProblem.body(status, RawProblem.detailFor(status));
            response.setContentType(RawProblem.CONTENT_TYPE);
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client has gone, or the response was taken elsewhere: nothing more can be said to it.
            container.getLogger().debug("could not write an error answer", e);
        }
    }
}
