package dev.transcript.command.user;

import java.net.URI;
import java.net.URISyntaxException;

/** Absolute http and https URLs, as RFC 3986 writes them (ASCII only, so that the event's "uri" format holds). */
final class HttpUrls {

    private HttpUrls() {
    }

    static boolean isAbsoluteHttp(String text) {
        if (!text.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
