package vn.vss.ivr.adapter.ami;

import java.time.Duration;

/**
 * Where ivr-app reaches Asterisk's manager (AMI) to place call-backs, and how long a call-back may
 * ring. The secret comes from the environment and is never printed.
 */
public record AmiSettings(String host, int port, String user, String secret, Duration ringTimeout) {
    @Override
    public String toString() {
        return "AmiSettings[" + user + "@" + host + ":" + port + ", ring " + ringTimeout.toSeconds() + " s]";
    }
}
