package vn.vss.ivr.adapter.smpp;

import java.time.Duration;

/**
 * Where the carrier's SMSC is and how the SMS sender may use it. {@code window} and
 * {@code maxPerSecond} come from the carrier's account (outstanding submit_sm and messages a
 * second); the timings have no setting of their own and are shortened only by tests.
 *
 * @param window submit_sm sent and not yet answered, at most
 * @param maxPerSecond submit_sm a second, at most
 * @param responseTimeout a submit_sm not answered within this time is in doubt
 * @param rebindAfter first wait before binding again when the SMSC cannot be reached (doubles)
 * @param rebindAtMost longest wait between binds
 * @param retryAfter first wait before a notice the SMSC refused for a while is tried again (doubles)
 * @param retryAtMost longest wait before trying a notice again
 * @param throttledPause first pause of all sending after the SMSC says it is throttling (doubles)
 * @param abandonedAfter a notice claimed this long ago and never answered has lost its sender
 * @param idlePoll how often an idle sender looks for new notices
 */
public record SmppSettings(
        String host,
        int port,
        String systemId,
        String password,
        SmsAddress source,
        int window,
        int maxPerSecond,
        Duration responseTimeout,
        Duration rebindAfter,
        Duration rebindAtMost,
        Duration retryAfter,
        Duration retryAtMost,
        Duration throttledPause,
        Duration abandonedAfter,
        Duration idlePoll) {
    /** SMPP 3.4 system_id is a C-octet string of 16 octets, the last one its NUL. */
    public static final int SYSTEM_ID_MAX = 15;
    /** SMPP 3.4 password is a C-octet string of 9 octets. */
    public static final int PASSWORD_MAX = 8;

    public static SmppSettings of(
            String host, int port, String systemId, String password, SmsAddress source, int window, int maxPerSecond) {
        return new SmppSettings(
                host,
                port,
                systemId,
                password,
                source,
                window,
                maxPerSecond,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                Duration.ofSeconds(1));
    }

    /** Shorter waits, for tests that cannot wait minutes. */
    public SmppSettings withTimings(Duration retryAfter, Duration throttledPause, Duration rebindAtMost) {
        return new SmppSettings(
                host,
                port,
                systemId,
                password,
                source,
                window,
                maxPerSecond,
                responseTimeout,
                rebindAfter.compareTo(rebindAtMost) > 0 ? rebindAtMost : rebindAfter,
                rebindAtMost,
                retryAfter,
                retryAtMost,
                throttledPause,
                abandonedAfter,
                idlePoll);
    }

    /** {@code host:port}, as the log names the SMSC (never with the password). */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Reads {@code host:port}: a host name or IPv4 address, or an IPv6 address in brackets. The host
     * is not resolved here: an SMSC whose name does not resolve yet is retried like one that is down.
     */
    public static HostAndPort parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("must be host:port, for example smsc.example.vn:2775");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("must be host:port, for example smsc.example.vn:2775");
            }
        } else if (!host.matches("[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?")) {
            throw new IllegalArgumentException("must be host:port, for example smsc.example.vn:2775");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has a port that is not a number between 1 and 65535");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("has a port that is not a number between 1 and 65535");
        }
        return new HostAndPort(host, port);
    }

    public record HostAndPort(String host, int port) {}
}
