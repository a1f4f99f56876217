package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The rules of checking a code against the calling number, in the order the hotline applies them.
 * The directory reads what they need under its locks, asks them, and stores what they decide, in
 * one transaction; the rules themselves touch no database, so every order and limit is tested
 * without one. Counts are asked for only when a rule reaches them, so that a caller refused early
 * costs the database no more than the reads that refused it.
 */
public final class VerificationRules {
    private final RateLimitPolicy policy;

    public VerificationRules(RateLimitPolicy policy) {
        this.policy = policy;
    }

    /** A code's row as read under its lock; {@code null} instants and call ids mean "none". */
    public record CodeState(
            String phoneE164,
            Instant lockedUntil,
            UUID reservedByCall,
            Instant reservedUntil,
            int consecutiveFailures) {

        boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }

        boolean heldByAnotherCallAt(CallRef call, Instant now) {
            return reservedByCall != null
                    && !reservedByCall.equals(call.id())
                    && reservedUntil != null
                    && reservedUntil.isAfter(now);
        }
    }

    /**
     * Refusals before the code is looked up: a blocked caller ID first, then the hotline-wide ceiling
     * of failed verifications in the last minute (which a refusal for the ceiling does not prolong).
     */
    public Optional<Verdict> beforeLookup(boolean callerBlocked, IntSupplier hotlineFailuresLastMinute) {
        if (callerBlocked) {
            return Optional.of(Verdict.CALLER_BLOCKED);
        }
        if (hotlineFailuresLastMinute.getAsInt() >= policy.maxFailuresPerMinute()) {
            return Optional.of(Verdict.HOTLINE_CEILING);
        }
        return Optional.empty();
    }

    /**
     * The verdict on a code: unknown, locked, no caller ID, wrong number, reset limit of the code
     * within its window, a reservation held by another call; otherwise a match.
     *
     * @param code the code's row, empty when no subscriber has that code
     * @param committedResetsInWindow the code's resets put in force within the reset window
     */
    public Verdict judge(
            Optional<CodeState> code,
            Optional<PhoneNumber> caller,
            CallRef call,
            Instant now,
            IntSupplier committedResetsInWindow) {
        if (code.isEmpty()) {
            return Verdict.UNKNOWN_CODE;
        }
        CodeState state = code.get();
        if (state.lockedAt(now)) {
            return Verdict.CODE_LOCKED;
        }
        if (caller.isEmpty()) {
            return Verdict.NO_CALLER_ID;
        }
        if (!state.phoneE164().equals(caller.get().e164())) {
            return Verdict.WRONG_NUMBER;
        }
        if (committedResetsInWindow.getAsInt() >= policy.maxResetsPerCode()) {
            return Verdict.RESET_LIMIT_REACHED;
        }
        return state.heldByAnotherCallAt(call, now) ? Verdict.RESET_IN_PROGRESS : Verdict.MATCH;
    }

    /**
     * Whether the verdict is written down as a failed verification of the caller. A code at its
     * reset limit or being reset by another call was given correctly: that is no guess.
     */
    public static boolean isFailure(Verdict verdict) {
        return verdict != Verdict.MATCH
                && verdict != Verdict.RESET_LIMIT_REACHED
                && verdict != Verdict.RESET_IN_PROGRESS;
    }

    /**
     * The failure that reaches the caller's limit within the window blocks the caller ID for the
     * whole window from now: a sliding count alone would let it in again as soon as its oldest
     * failure left the window. Failures before a block has ended are older than the window once it
     * ends, so counting starts afresh after it.
     *
     * @param callerFailuresInWindow the caller's failures within the window, this one included
     */
    public Optional<Instant> blockCallerUntil(int callerFailuresInWindow, Instant now) {
        if (callerFailuresInWindow < policy.maxFailuresPerCaller()) {
            return Optional.empty();
        }
        return Optional.of(now.plus(policy.callerWindow()));
    }

    /**
     * The code's row after the verdict, or empty when it stays as it was. A match clears the
     * failures in a row and reserves the code for this call for one lease. A failure counts against
     * the code (unless it is already locked: waiting out the lock must not prolong it), and the
     * failure that reaches the limit in a row, from whatever numbers, locks the code for a while.
     */
    public Optional<CodeState> codeAfter(Verdict verdict, Optional<CodeState> code, CallRef call, Instant now) {
        if (code.isEmpty()) {
            return Optional.empty();
        }
        CodeState state = code.get();
        if (verdict == Verdict.MATCH) {
            return Optional.of(new CodeState(
                    state.phoneE164(), state.lockedUntil(), call.id(), now.plus(policy.reservationLifetime()), 0));
        }
        if (!isFailure(verdict) || verdict == Verdict.CODE_LOCKED) {
            return Optional.empty();
        }
        int failures = state.consecutiveFailures() + 1;
        Instant lockedUntil = state.lockedUntil();
        if (failures >= policy.failuresBeforeCodeLock()) {
            lockedUntil = now.plus(policy.codeLockDuration());
            failures = 0;
        }
        return Optional.of(
                new CodeState(state.phoneE164(), lockedUntil, state.reservedByCall(), state.reservedUntil(), failures));
    }
}
