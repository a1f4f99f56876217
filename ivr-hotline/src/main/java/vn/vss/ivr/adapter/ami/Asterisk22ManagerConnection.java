package vn.vss.ivr.adapter.ami;

import org.asteriskjava.AsteriskVersion;
import org.asteriskjava.manager.internal.ManagerConnectionImpl;

/**
 * asterisk-java's manager connection, told which Asterisk it speaks to. After login it would ask
 * ({@code CoreSettings}, then {@code Command: core show version}), but both need rights the call-back
 * user must not have (reporting, command): Asterisk answers "Permission denied" four times over two
 * seconds, and asterisk-java goes on as if it were Asterisk 16. The hotline runs on Asterisk 22.
 */
final class Asterisk22ManagerConnection extends ManagerConnectionImpl {
    Asterisk22ManagerConnection(String host, int port, String user, String secret) {
        setHostname(host);
        setPort(port);
        setUsername(user);
        setPassword(secret);
    }

    @Override
    protected AsteriskVersion determineVersion() {
        return AsteriskVersion.ASTERISK_22;
    }
}
