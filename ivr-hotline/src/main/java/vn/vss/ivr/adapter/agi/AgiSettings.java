package vn.vss.ivr.adapter.agi;

import java.net.InetAddress;
import java.time.Duration;

/** How the FastAGI server listens. */
public record AgiSettings(
        InetAddress bindAddress,
        int port,
        PeerAllowlist allowedPeers,
        int coreThreads,
        int maxThreads,
        int backlog,
        Duration readTimeout,
        Duration environmentTimeout) {}
