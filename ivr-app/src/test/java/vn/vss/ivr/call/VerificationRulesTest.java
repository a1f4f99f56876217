package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.VerificationRules.CodeState;

/** The order of the verdicts and the edge of every limit, decided without a database. */
class VerificationRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final String OWNER = "+84912345678";
    private static final Optional<PhoneNumber> OWNER_CALLING = PhoneNumber.fromCallerId("0912345678");
    private static final Optional<PhoneNumber> STRANGER_CALLING = PhoneNumber.fromCallerId("0987654321");
    private static final CallRef CALL = new CallRef(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    private static final UUID OTHER_CALL = UUID.fromString("00000000-0000-0000-0000-000000000002");
    private static final RateLimitPolicy POLICY = RateLimitPolicy.defaults();
    private static final IntSupplier NO_RESETS = () -> 0;
    /** A count the rule must not need: asking for it fails the test. */
    private static final IntSupplier NOT_ASKED = () -> {
        throw new AssertionError("a count was read that the verdict did not need");
    };

    private final VerificationRules rules = new VerificationRules(POLICY);

    private static Optional<CodeState> code(Instant lockedUntil, UUID reservedBy, Instant reservedUntil, int failures) {
        return Optional.of(new CodeState(OWNER, lockedUntil, reservedBy, reservedUntil, failures));
    }

    private static Optional<CodeState> freeCode() {
        return code(null, null, null, 0);
    }

    @Test
    void theOwnerCallingForAFreeCodeMatches() {
        assertThat(OWNER_CALLING).isPresent();
        assertThat(rules.judge(freeCode(), OWNER_CALLING, CALL, NOW, NO_RESETS)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void anUnknownCodeComesBeforeEverythingAboutTheCaller() {
        assertThat(rules.judge(Optional.empty(), Optional.empty(), CALL, NOW, NOT_ASKED))
                .isEqualTo(Verdict.UNKNOWN_CODE);
        assertThat(rules.judge(Optional.empty(), STRANGER_CALLING, CALL, NOW, NOT_ASKED))
                .isEqualTo(Verdict.UNKNOWN_CODE);
    }

    @Test
    void aLockedCodeIsLockedWhoeverCallsUntilTheLockEnds() {
        Optional<CodeState> locked = code(NOW.plusSeconds(1), null, null, 0);
        assertThat(rules.judge(locked, OWNER_CALLING, CALL, NOW, NOT_ASKED)).isEqualTo(Verdict.CODE_LOCKED);
        assertThat(rules.judge(locked, Optional.empty(), CALL, NOW, NOT_ASKED)).isEqualTo(Verdict.CODE_LOCKED);
        assertThat(rules.judge(locked, STRANGER_CALLING, CALL, NOW, NOT_ASKED)).isEqualTo(Verdict.CODE_LOCKED);
        Optional<CodeState> lockEndsNow = code(NOW, null, null, 0);
        assertThat(rules.judge(lockEndsNow, OWNER_CALLING, CALL, NOW, NO_RESETS))
                .isEqualTo(Verdict.MATCH);
    }

    @Test
    void noCallerIdComesBeforeAWrongNumber() {
        assertThat(rules.judge(freeCode(), Optional.empty(), CALL, NOW, NOT_ASKED))
                .isEqualTo(Verdict.NO_CALLER_ID);
    }

    @Test
    void aWrongNumberIsToldBeforeTheResetLimitOrAReservation() {
        Optional<CodeState> reservedElsewhere = code(null, OTHER_CALL, NOW.plusSeconds(30), 0);
        assertThat(rules.judge(reservedElsewhere, STRANGER_CALLING, CALL, NOW, NOT_ASKED))
                .isEqualTo(Verdict.WRONG_NUMBER);
    }

    @Test
    void theResetLimitCountsResetsUpToTheLimitAndComesBeforeAReservation() {
        int limit = POLICY.maxResetsPerCode();
        assertThat(rules.judge(freeCode(), OWNER_CALLING, CALL, NOW, () -> limit - 1))
                .isEqualTo(Verdict.MATCH);
        assertThat(rules.judge(freeCode(), OWNER_CALLING, CALL, NOW, () -> limit))
                .isEqualTo(Verdict.RESET_LIMIT_REACHED);
        Optional<CodeState> reservedElsewhere = code(null, OTHER_CALL, NOW.plusSeconds(30), 0);
        assertThat(rules.judge(reservedElsewhere, OWNER_CALLING, CALL, NOW, () -> limit))
                .isEqualTo(Verdict.RESET_LIMIT_REACHED);
    }

    @Test
    void aReservationOfAnotherCallHoldsUntilItLapses() {
        assertThat(rules.judge(code(null, OTHER_CALL, NOW.plusSeconds(1), 0), OWNER_CALLING, CALL, NOW, NO_RESETS))
                .isEqualTo(Verdict.RESET_IN_PROGRESS);
        assertThat(rules.judge(code(null, OTHER_CALL, NOW, 0), OWNER_CALLING, CALL, NOW, NO_RESETS))
                .isEqualTo(Verdict.MATCH);
        assertThat(rules.judge(code(null, CALL.id(), NOW.plusSeconds(30), 0), OWNER_CALLING, CALL, NOW, NO_RESETS))
                .as("this call's own reservation")
                .isEqualTo(Verdict.MATCH);
    }

    @Test
    void aBlockedCallerIsRefusedBeforeTheHotlineCeilingIsCounted() {
        assertThat(rules.beforeLookup(true, NOT_ASKED)).contains(Verdict.CALLER_BLOCKED);
    }

    @Test
    void theHotlineCeilingRefusesFromTheCeilingOn() {
        int ceiling = POLICY.maxFailuresPerMinute();
        assertThat(rules.beforeLookup(false, () -> ceiling - 1)).isEmpty();
        assertThat(rules.beforeLookup(false, () -> ceiling)).contains(Verdict.HOTLINE_CEILING);
    }

    @Test
    void everyVerdictButAMatchAResetLimitOrAResetInProgressIsAFailure() {
        for (Verdict verdict : Verdict.values()) {
            boolean noGuess = verdict == Verdict.MATCH
                    || verdict == Verdict.RESET_LIMIT_REACHED
                    || verdict == Verdict.RESET_IN_PROGRESS;
            assertThat(VerificationRules.isFailure(verdict)).as(verdict.name()).isEqualTo(!noGuess);
        }
    }

    @Test
    void theCallerIsBlockedForTheWholeWindowByTheFailureThatReachesTheLimit() {
        int limit = POLICY.maxFailuresPerCaller();
        assertThat(rules.blockCallerUntil(limit - 1, NOW)).isEmpty();
        assertThat(rules.blockCallerUntil(limit, NOW)).contains(NOW.plus(POLICY.callerWindow()));
    }

    @Test
    void aMatchClearsTheFailuresAndReservesTheCodeForOneLease() {
        Optional<CodeState> after = rules.codeAfter(Verdict.MATCH, code(null, null, null, 4), CALL, NOW);
        assertThat(after).contains(new CodeState(OWNER, null, CALL.id(), NOW.plus(POLICY.reservationLifetime()), 0));
    }

    @Test
    void theFailureThatReachesTheLimitInARowLocksTheCodeAndStartsTheCountAgain() {
        int limit = POLICY.failuresBeforeCodeLock();
        assertThat(rules.codeAfter(Verdict.WRONG_NUMBER, code(null, null, null, limit - 2), CALL, NOW))
                .contains(new CodeState(OWNER, null, null, null, limit - 1));
        assertThat(rules.codeAfter(Verdict.NO_CALLER_ID, code(null, null, null, limit - 1), CALL, NOW))
                .contains(new CodeState(OWNER, NOW.plus(POLICY.codeLockDuration()), null, null, 0));
    }

    @Test
    void waitingOutALockDoesNotProlongItAndCorrectCodesAreNoGuesses() {
        Optional<CodeState> locked = code(NOW.plusSeconds(60), null, null, 0);
        assertThat(rules.codeAfter(Verdict.CODE_LOCKED, locked, CALL, NOW)).isEmpty();
        assertThat(rules.codeAfter(Verdict.RESET_LIMIT_REACHED, freeCode(), CALL, NOW))
                .isEmpty();
        assertThat(rules.codeAfter(Verdict.RESET_IN_PROGRESS, freeCode(), CALL, NOW))
                .isEmpty();
        assertThat(rules.codeAfter(Verdict.UNKNOWN_CODE, Optional.empty(), CALL, NOW))
                .isEmpty();
    }

    @Test
    void theDefaultLimitsAreTheAnnouncedOnes() {
        assertThat(POLICY.maxResetsPerCode()).isEqualTo(3);
        assertThat(POLICY.maxFailuresPerCaller()).isEqualTo(5);
        assertThat(POLICY.failuresBeforeCodeLock()).isEqualTo(10);
        assertThat(POLICY.reservationLifetime()).isEqualTo(Duration.ofMinutes(1));
    }
}
