package dev.transcript.command.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes straight onto a socket, for requests no HTTP client would send (an unparseable request line,
 * headers past the server's limit): Tomcat's own answers, as a client on the wire reads them.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Header names in lower case. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** A POST of a JSON body with extra headers, the connection closed after the answer. */
    public static Answer postJson(int port, String path, String json, Map<String, String> headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n").append(new String(body, StandardCharsets.ISO_8859_1));
        return exchange(port, request.toString());
    }

    /** Sends {@code request} as is and reads the answer until the server closes the connection. */
    public static Answer exchange(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(String answer) {
        int headersEnd = answer.indexOf("\r\n\r\n");
        String head = headersEnd < 0 ? answer : answer.substring(0, headersEnd);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return new Answer(status, headers, headersEnd < 0 ? "" : answer.substring(headersEnd + 4));
    }
}
