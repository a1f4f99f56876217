package vn.vss.ivr.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;

class VerificationTimeLimitTest {
    private static final BhxhCode CODE = new BhxhCode("0123456789");
    private static final Optional<PhoneNumber> CALLER = PhoneNumber.fromCallerId("0912345678");

    /** A directory whose verifications hang until let go, then decide {@code verdict}. */
    private static final class HangingDirectory implements SubscriberDirectory {
        final CountDownLatch letGo = new CountDownLatch(1);
        final List<CallRef> released = new CopyOnWriteArrayList<>();
        final Verdict verdict;

        HangingDirectory(Verdict verdict) {
            this.verdict = verdict;
        }

        @Override
        public Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return verdict;
        }

        @Override
        public boolean commitReset(BhxhCode code, CallRef call, String hash, Instant expiresAt, Instant now) {
            return false;
        }

        @Override
        public boolean resetCommittedBy(CallRef call) {
            return false;
        }

        @Override
        public void releaseReservation(BhxhCode code, CallRef call) {
            released.add(call);
        }
    }

    @Test
    void givenTheDatabaseHangs_thenTheCallIsToldUnavailableWhenTheTimeIsUp() {
        HangingDirectory hanging = new HangingDirectory(Verdict.WRONG_NUMBER);
        VerificationTimeLimit limited = new VerificationTimeLimit(hanging, Duration.ofMillis(200), 4);

        long began = System.nanoTime();
        assertThatThrownBy(() -> limited.verifyAndReserve(CODE, CALLER, CallRef.next(), Instant.now()))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("IVR_DB_QUERY_TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
        hanging.letGo.countDown();
    }

    @Test
    void givenAVerificationGivenUpOnMatchesLater_thenItsReservationIsReleased() throws InterruptedException {
        HangingDirectory hanging = new HangingDirectory(Verdict.MATCH);
        VerificationTimeLimit limited = new VerificationTimeLimit(hanging, Duration.ofMillis(100), 4);
        CallRef call = CallRef.next();

        assertThatThrownBy(() -> limited.verifyAndReserve(CODE, CALLER, call, Instant.now()))
                .isInstanceOf(ServiceUnavailableException.class);
        hanging.letGo.countDown();

        for (int i = 0; i < 100 && hanging.released.isEmpty(); i++) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(hanging.released).containsExactly(call);
    }

    @Test
    void givenMoreVerificationsWaitingThanAllowed_thenTheNextIsUnavailableAtOnce() {
        HangingDirectory hanging = new HangingDirectory(Verdict.WRONG_NUMBER);
        VerificationTimeLimit limited = new VerificationTimeLimit(hanging, Duration.ofMillis(100), 1);
        assertThatThrownBy(() -> limited.verifyAndReserve(CODE, CALLER, CallRef.next(), Instant.now()))
                .isInstanceOf(ServiceUnavailableException.class);

        assertThatThrownBy(() -> limited.verifyAndReserve(CODE, CALLER, CallRef.next(), Instant.now()))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("too many verifications");
        hanging.letGo.countDown();
    }

    @Test
    void givenAnAnswerInTime_thenItsVerdictIsReturned() {
        HangingDirectory quick = new HangingDirectory(Verdict.MATCH);
        quick.letGo.countDown();
        VerificationTimeLimit limited = new VerificationTimeLimit(quick, Duration.ofSeconds(2), 4);
        assertThat(limited.verifyAndReserve(CODE, CALLER, CallRef.next(), Instant.now()))
                .isEqualTo(Verdict.MATCH);
        assertThat(quick.released).isEmpty();
    }
}
