package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.INSTANCE_LEASE;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * The lease rows of the app instances sharing this database (one per {@code IVR_INSTANCE_ID}), and
 * the takeover of an instance whose lease has expired. Every time is the database's own clock, so
 * instances on machines whose clocks disagree still agree on when a lease has expired.
 */
public final class JooqInstanceLeases {
    private final DSLContext dsl;
    private final String instanceId;
    /** This process: a new one at every start, so that two processes with one id are told apart. */
    private final UUID holder = UUID.randomUUID();

    private final long leaseMillis;

    public JooqInstanceLeases(DSLContext dsl, String instanceId, Duration lease) {
        this.dsl = dsl;
        this.instanceId = instanceId;
        this.leaseMillis = lease.toMillis();
    }

    /** Whether the lease was taken at start-up; if not, when the live lease of another process expires. */
    public record Claim(boolean taken, Optional<Instant> liveUntil) {}

    /** What renewing the lease found. */
    public enum Renewal {
        RENEWED,
        /** The row was gone (another instance took this one over): it is this process's again. */
        TAKEN_BACK,
        /** Another process holds the lease of this instance id. */
        HELD_BY_ANOTHER
    }

    /** An instance taken over: its id, the open calls closed as interrupted, the codes released. */
    public record Takeover(String instanceId, int callsClosed, int codesReleased) {}

    /** Takes the lease when there is none for this instance id or it has expired. */
    public Claim claim() {
        try {
            Field<OffsetDateTime> now = DSL.currentOffsetDateTime();
            boolean taken = dsl.insertInto(INSTANCE_LEASE)
                            .set(INSTANCE_LEASE.INSTANCE_ID, instanceId)
                            .set(INSTANCE_LEASE.HOLDER, holder)
                            .set(INSTANCE_LEASE.STARTED_AT, now)
                            .set(INSTANCE_LEASE.RENEWED_AT, now)
                            .set(INSTANCE_LEASE.EXPIRES_AT, leaseEnd())
                            .onConflict(INSTANCE_LEASE.INSTANCE_ID)
                            .doUpdate()
                            .set(INSTANCE_LEASE.HOLDER, holder)
                            .set(INSTANCE_LEASE.STARTED_AT, now)
                            .set(INSTANCE_LEASE.RENEWED_AT, now)
                            .set(INSTANCE_LEASE.EXPIRES_AT, leaseEnd())
                            .where(INSTANCE_LEASE.EXPIRES_AT.lt(now))
                            .execute()
                    == 1;
            if (taken) {
                return new Claim(true, Optional.empty());
            }
            OffsetDateTime until = dsl.select(INSTANCE_LEASE.EXPIRES_AT)
                    .from(INSTANCE_LEASE)
                    .where(INSTANCE_LEASE.INSTANCE_ID.eq(instanceId))
                    .fetchOne(INSTANCE_LEASE.EXPIRES_AT);
            return new Claim(false, Optional.ofNullable(until).map(OffsetDateTime::toInstant));
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the instance lease could not be taken", e);
        }
    }

    /** The database's clock now (for waiting on another process's lease). */
    public Instant databaseNow() {
        try {
            return dsl.select(DSL.currentOffsetDateTime())
                    .fetchOne(0, OffsetDateTime.class)
                    .toInstant();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the database clock could not be read", e);
        }
    }

    /**
     * Extends the lease by one lease from now. Should the row be gone (taken over while the database
     * could not be reached from here), it is taken back so that no further takeover closes this
     * instance's calls.
     */
    public Renewal renew() {
        try {
            Field<OffsetDateTime> now = DSL.currentOffsetDateTime();
            int renewed = dsl.update(INSTANCE_LEASE)
                    .set(INSTANCE_LEASE.RENEWED_AT, now)
                    .set(INSTANCE_LEASE.EXPIRES_AT, leaseEnd())
                    .where(INSTANCE_LEASE.INSTANCE_ID.eq(instanceId))
                    .and(INSTANCE_LEASE.HOLDER.eq(holder))
                    .execute();
            if (renewed == 1) {
                return Renewal.RENEWED;
            }
            int inserted = dsl.insertInto(INSTANCE_LEASE)
                    .set(INSTANCE_LEASE.INSTANCE_ID, instanceId)
                    .set(INSTANCE_LEASE.HOLDER, holder)
                    .set(INSTANCE_LEASE.STARTED_AT, now)
                    .set(INSTANCE_LEASE.RENEWED_AT, now)
                    .set(INSTANCE_LEASE.EXPIRES_AT, leaseEnd())
                    .onConflictDoNothing()
                    .execute();
            return inserted == 1 ? Renewal.TAKEN_BACK : Renewal.HELD_BY_ANOTHER;
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the instance lease could not be renewed", e);
        }
    }

    /**
     * Takes over one other instance whose lease has expired, if any, in one transaction: its lease
     * row is locked and deleted (a row another instance is taking over at this moment is skipped, and
     * once deleted it is gone for everyone, so no instance is ever taken over twice), its open calls
     * are closed as interrupted with the minutes that had started, and the codes they held are released.
     */
    public Optional<Takeover> takeOverOneExpired() {
        try {
            return dsl.transactionResult(tx -> {
                DSLContext t = tx.dsl();
                String dead = t.select(INSTANCE_LEASE.INSTANCE_ID)
                        .from(INSTANCE_LEASE)
                        .where(INSTANCE_LEASE.EXPIRES_AT.lt(DSL.currentOffsetDateTime()))
                        .and(INSTANCE_LEASE.INSTANCE_ID.ne(instanceId))
                        .orderBy(INSTANCE_LEASE.EXPIRES_AT)
                        .limit(1)
                        .forUpdate()
                        .skipLocked()
                        .fetchOne(INSTANCE_LEASE.INSTANCE_ID);
                if (dead == null) {
                    return Optional.<Takeover>empty();
                }
                t.deleteFrom(INSTANCE_LEASE)
                        .where(INSTANCE_LEASE.INSTANCE_ID.eq(dead))
                        .execute();
                JooqCallRecords.LeftOpen closed = JooqCallRecords.closeLeftOpenBy(t, dead);
                return Optional.of(new Takeover(dead, closed.calls(), closed.codes()));
            });
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("an expired instance could not be taken over", e);
        }
    }

    /**
     * At a clean stop: with no call of this instance left open the row is deleted (nothing to take
     * over); otherwise it is made to expire now, so that another instance closes those calls at once.
     */
    public void release() {
        try {
            dsl.transaction(tx -> {
                DSLContext t = tx.dsl();
                int deleted = t.deleteFrom(INSTANCE_LEASE)
                        .where(INSTANCE_LEASE.INSTANCE_ID.eq(instanceId))
                        .and(INSTANCE_LEASE.HOLDER.eq(holder))
                        .andNotExists(DSL.selectOne()
                                .from(CALL)
                                .where(CALL.INSTANCE_ID.eq(instanceId))
                                .and(CALL.ENDED_AT.isNull()))
                        .execute();
                if (deleted == 0) {
                    t.update(INSTANCE_LEASE)
                            .set(INSTANCE_LEASE.EXPIRES_AT, DSL.currentOffsetDateTime())
                            .where(INSTANCE_LEASE.INSTANCE_ID.eq(instanceId))
                            .and(INSTANCE_LEASE.HOLDER.eq(holder))
                            .execute();
                }
            });
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the instance lease could not be released", e);
        }
    }

    private Field<OffsetDateTime> leaseEnd() {
        return DSL.field(
                "{0} + {1} * interval '1 millisecond'",
                INSTANCE_LEASE.EXPIRES_AT.getDataType(), DSL.currentOffsetDateTime(), DSL.inline(leaseMillis));
    }
}
