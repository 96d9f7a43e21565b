package dev.transcript.command.user;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the HTTP edge makes of a login's token and address and of an avatar URL, before any command. */
class UserInputsTest {

    @Test
    void a_token_is_kept_as_its_sha256_in_lower_case_hex() {
        assertThat(TokenHashes.sha256("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(TokenHashes.sha256("x".repeat(512))).matches("[0-9a-f]{64}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "203.0.113.9", "::", "::1", "2001:db8::7",
            "2001:DB8:0:0:8:800:200C:417A", "fe80::1", "::ffff:192.0.2.128",
            "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"})
    void ip_literals_are_addresses(String literal) {
        assertThat(IpLiterals.isLiteral(literal)).isTrue();
    }

    /** Host names would resolve if they were looked up, and be taken for addresses: they never are. */
    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "abc", "cafe", "1.2.3", "01.2.3.4", "256.1.1.1",
            "1.2.3.4.5", " 127.0.0.1", "127.0.0.1 ", "::1%lo", "fe80::1%1", "[::1]", ".:1", "1::2::3", ":1",
            "2001:db8::g", "12345::"})
    void anything_else_is_not_an_address(String text) {
        assertThat(IpLiterals.isLiteral(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.org/a.png", "http://example.org", "HTTPS://cdn.example.org:8443/x?s=64#y",
            "https://203.0.113.9/avatar", "https://[2001:db8::7]/avatar", "https://example.org/caf%C3%A9.png"})
    void absolute_http_urls_are_avatar_urls(String url) {
        assertThat(HttpUrls.isAbsoluteHttp(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.org/a.png", "/avatars/a.png", "ftp://example.org/a.png",
            "javascript:alert(1)", "mailto:ada@example.org", "https://", "https:///a.png", "https://exa mple.org/",
            "https://example.org/café.png", "https://example.org/a b.png", "data:image/png;base64,AAAA"})
    void anything_else_is_not_an_avatar_url(String text) {
        assertThat(HttpUrls.isAbsoluteHttp(text)).isFalse();
    }
}
