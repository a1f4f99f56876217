package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;

/**
 * The hotline-wide ceiling on failed verifications per minute, on two app instances sharing one
 * PostgreSQL: failures on either count for both, and once the last minute holds the ceiling's worth,
 * even a rightful caller gets the uniform answer until the minute's failures fall below it.
 */
class HotlineFailureCeilingIT {
    private static final int CEILING = 4;

    @Test
    void givenTheCeilingReachedAcrossTwoInstances_thenLookupsGetTheUniformAnswer_untilTheMinuteHasPassed()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-ceiling-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"))) {
            TestHotline first = TestHotline.start(settings(postgres, "ceiling-a"));
            try {
                TestHotline second = TestHotline.start(settings(postgres, "ceiling-b"));
                try {
                    // Failures spread over four numbers (no caller ID reaches its own limit), two per instance.
                    CallTranscript wrongNumber = null;
                    for (int i = 0; i < CEILING; i++) {
                        TestHotline instance = i % 2 == 0 ? first : second;
                        TestHotline.Subscriber target = first.freshSubscriber();
                        wrongNumber = instance.call(
                                CallerScript.from(first.freshStranger()).keys(target.code() + "#"));
                        assertThat(wrongNumber.promptNames()).contains("mismatch");
                    }
                    assertThat(postgres.dsl().fetchCount(VERIFICATION_FAILURE)).isEqualTo(CEILING);

                    // A rightful caller now: the same words as a wrong number, nothing changes.
                    TestHotline.Subscriber rightful = first.freshSubscriber();
                    CallerScript rightfulCall =
                            CallerScript.from(rightful.phone()).keys(rightful.code() + "#");
                    CallTranscript refused = first.call(rightfulCall);

                    assertThat(refused.promptNames()).isEqualTo(wrongNumber.promptNames());
                    assertThat(KeypadCallIT.verificationStep(refused))
                            .as("the refusal takes the verification pace, as a wrong number does")
                            .isGreaterThanOrEqualTo(
                                    first.hotline().config().call().verificationPace());
                    assertThat(outcomeOfLastCall(first, rightful.phone())).isEqualTo(CallOutcome.NOT_VERIFIED.label());
                    assertThat(first.passwordHash(rightful.code())).isNull();
                    assertThat(postgres.dsl().fetchCount(RESET_EVENT)).isZero();
                    assertThat(postgres.dsl().fetchCount(VERIFICATION_FAILURE))
                            .as("a refusal for the ceiling is no failure: it does not prolong it")
                            .isEqualTo(CEILING);
                    assertThat(ceilingRefusals(first)).isEqualTo(1);
                    assertThat(ceilingRefusals(second)).isZero();
                    assertThat(postgres.dsl()
                                    .select(SUBSCRIBER.CONSECUTIVE_FAILURES)
                                    .from(SUBSCRIBER)
                                    .where(SUBSCRIBER.BHXH_CODE.eq(rightful.code()))
                                    .fetchOne(SUBSCRIBER.CONSECUTIVE_FAILURES))
                            .as("no lookup was made for the code")
                            .isZero();

                    // The other instance refuses as well: the count lives in the shared database.
                    assertThat(second.call(rightfulCall).promptNames()).doesNotContain("password-intro");
                    assertThat(ceilingRefusals(second)).isEqualTo(1);

                    // A minute later (the failures aged in the database), lookups resume.
                    postgres.dsl()
                            .execute(
                                    "update verification_failure set occurred_at = occurred_at - interval '61 seconds'");
                    CallTranscript later = second.call(rightfulCall);
                    assertThat(later.promptNames()).contains("password-intro");
                    HeardPasswords.remember(later.digitsAfter("password-intro", 1));
                    assertThat(first.passwordHash(rightful.code())).isNotNull();
                } finally {
                    second.close();
                }
            } finally {
                first.close();
            }
        }
    }

    private static Map<String, String> settings(ExternalPostgres postgres, String instance) {
        Map<String, String> env = new HashMap<>(postgres.settings());
        env.put("IVR_INSTANCE_ID", instance);
        env.put("IVR_MAX_FAILURES_PER_MINUTE", Integer.toString(CEILING));
        return env;
    }

    /** The call record is closed just after the hang-up: waits a little for it. */
    private static String outcomeOfLastCall(TestHotline instance, String callerId) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            var record = instance.lastCallFrom(callerId);
            if (record != null && record.getOutcome() != null) {
                return record.getOutcome();
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static double ceilingRefusals(TestHotline instance) {
        var counter = instance.hotline()
                .registry()
                .find("ivr.rate.limit.refusals")
                .tag("limit", "hotline_ceiling")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
