package dev.transcript.command.user;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether a text is an IPv4 or IPv6 address literal; a host name is not, and is never looked up. */
final class IpLiterals {

    /** Dotted quad without leading zeros, which some parsers read as octal. */
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    /**
     * Hex digits, colons and dots only, starting with a hex digit or a colon, and with a colon somewhere:
     * InetAddress parses such a text as an IPv6 literal and refuses it if it is not one, without ever
     * asking DNS. No zone id ({@code %eth0}), which could name a network interface.
     */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpLiterals() {
    }

    static boolean isLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
