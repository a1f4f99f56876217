package vn.vss.ivr.hotline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.postgres.JooqInstanceLeases;
import vn.vss.ivr.adapter.postgres.JooqInstanceLeases.Claim;
import vn.vss.ivr.adapter.postgres.JooqInstanceLeases.Renewal;
import vn.vss.ivr.adapter.postgres.JooqInstanceLeases.Takeover;

/**
 * This instance's lease in the shared database, and the watch over the others. The lease is taken
 * at start-up, before this instance's own left-open calls are closed, and renewed every third of
 * {@code IVR_INSTANCE_LEASE} on a thread of its own (so that a long spool replay never delays it).
 * At each turn the instance also takes over any other instance whose lease has expired: that one
 * died without closing, and would otherwise keep its callers' codes and its calls open until it
 * came back, which it may never do.
 */
final class InstanceLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);
    /** Expired instances taken over in one turn at most; the rest wait for the next turn. */
    private static final int TAKEOVERS_PER_TURN = 10;

    private final JooqInstanceLeases leases;
    private final String instanceId;
    private final Counter takeovers;
    private final ScheduledExecutorService thread;
    private final long leaseNanos;
    private Renewal lastRenewal = Renewal.RENEWED;
    private boolean renewalFailing;
    /** Since when every renewal of this instance has reached the database (System.nanoTime). */
    private long renewingSince = System.nanoTime();

    private InstanceLease(JooqInstanceLeases leases, String instanceId, Duration lease, MeterRegistry registry) {
        this.leases = leases;
        this.instanceId = instanceId;
        this.leaseNanos = lease.toNanos();
        this.takeovers = Counter.builder("ivr.instance.takeovers")
                .description("Other instances, dead past their lease, whose open calls this instance closed")
                .register(registry);
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "instance-lease");
            named.setDaemon(true);
            return named;
        });
    }

    /**
     * Takes the lease of {@code instanceId} and starts renewing it. A lease still live is waited for
     * (it may be left by a process of this instance that was killed a moment ago) until it expires;
     * if it is renewed meanwhile, a running process holds this id and start-up stops.
     */
    static InstanceLease take(JooqInstanceLeases leases, String instanceId, Duration lease, MeterRegistry registry)
            throws InstanceIdInUseException {
        awaitClaim(leases, instanceId);
        InstanceLease taken = new InstanceLease(leases, instanceId, lease, registry);
        long every = Math.max(1, lease.toMillis() / 3);
        taken.thread.scheduleWithFixedDelay(taken::turn, every, every, TimeUnit.MILLISECONDS);
        return taken;
    }

    private static void awaitClaim(JooqInstanceLeases leases, String instanceId) throws InstanceIdInUseException {
        Claim claim = leases.claim();
        Optional<Instant> seen = claim.liveUntil();
        if (!claim.taken() && seen.isPresent()) {
            log.warn(
                    "IVR_INSTANCE_ID={}: a lease of this id is live for {} ms more; waiting for it to expire (a process"
                            + " of this instance stopped abruptly) or be renewed (another process runs with this id)",
                    instanceId,
                    Math.max(
                            0,
                            Duration.between(leases.databaseNow(), seen.get()).toMillis()));
        }
        while (!claim.taken()) {
            if (claim.liveUntil().isPresent()
                    && seen.isPresent()
                    && claim.liveUntil().get().isAfter(seen.get())) {
                throw new InstanceIdInUseException("IVR_INSTANCE_ID=" + instanceId
                        + ": another running process holds this instance id (its lease was just renewed); give each"
                        + " instance an IVR_INSTANCE_ID of its own, or the two would close each other's calls");
            }
            seen = seen.isPresent() ? seen : claim.liveUntil();
            pause();
            claim = leases.claim();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the instance lease", e);
        }
    }

    /**
     * One turn: renew, then take over the instances whose lease has expired. Only an instance whose own
     * renewals have reached the database for a whole lease takes others over: after a database outage
     * or switch-over every lease has expired at once, and the instances still alive must first get the
     * chance to renew theirs, or the first one back would close the others' calls in progress.
     */
    private void turn() {
        renew();
        if (!renewalFailing && System.nanoTime() - renewingSince >= leaseNanos) {
            takeOverExpired();
        }
    }

    private void renew() {
        Renewal renewal;
        try {
            renewal = leases.renew();
        } catch (RuntimeException e) {
            if (!renewalFailing) {
                log.warn("the lease of IVR_INSTANCE_ID={} was not renewed, trying again: {}", instanceId, e.toString());
            }
            renewalFailing = true;
            return;
        }
        if (renewalFailing) {
            renewingSince = System.nanoTime();
            if (renewal == Renewal.RENEWED) {
                log.info("the lease of IVR_INSTANCE_ID={} is renewed again", instanceId);
            }
        }
        renewalFailing = false;
        if (renewal == Renewal.TAKEN_BACK) {
            log.error(
                    "the lease of IVR_INSTANCE_ID={} had expired (no renewal reached the database) and another instance"
                            + " took over: calls then open here were closed as interrupted; the lease is held again",
                    instanceId);
        } else if (renewal == Renewal.HELD_BY_ANOTHER && lastRenewal != Renewal.HELD_BY_ANOTHER) {
            log.error(
                    "another process holds the lease of IVR_INSTANCE_ID={}: two processes with one id close each"
                            + " other's calls; give each instance an IVR_INSTANCE_ID of its own",
                    instanceId);
        }
        lastRenewal = renewal;
    }

    private void takeOverExpired() {
        try {
            for (int i = 0; i < TAKEOVERS_PER_TURN; i++) {
                Optional<Takeover> takeover = leases.takeOverOneExpired();
                if (takeover.isEmpty()) {
                    return;
                }
                takeovers.increment();
                log.warn(
                        "took over instance {}, whose lease expired: {} open call(s) closed as interrupted, {} code(s) released",
                        takeover.get().instanceId(),
                        takeover.get().callsClosed(),
                        takeover.get().codesReleased());
            }
        } catch (RuntimeException e) {
            log.debug("expired instances not looked for this time: {}", e.toString());
        }
    }

    /** Stops renewing and gives the lease up (see {@link JooqInstanceLeases#release()}). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            leases.release();
        } catch (RuntimeException e) {
            log.warn(
                    "the lease of IVR_INSTANCE_ID={} was not given up ({}); it expires by itself",
                    instanceId,
                    e.toString());
        }
    }
}
