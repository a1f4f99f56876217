package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALLBACK_REQUEST;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.ChargesReport;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.adapter.postgres.ChargeTotals;
import vn.vss.ivr.adapter.postgres.JooqCallBackRequests;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallbackRequestRecord;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallBackDecision;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager.Originate;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager.Outcome;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Call-back verification through the real FastAGI server and PostgreSQL, with Asterisk's manager
 * played by {@link FakeAsteriskManager}, which speaks AMI as a real Asterisk 22 does
 * ({@code asterisk-22-ami/}): the caller is promised a call, ivr-app originates it with the number
 * from the database, and the leg (a FastAGI call of script vssid-callback) reads the password after 1.
 */
class CallBackIT {
    private static final String SECRET = "test-ami-secret-0123456789";
    /** What each called number does; answered unless a test says otherwise. */
    private static final Map<String, Outcome> PHONES = new ConcurrentHashMap<>();

    private static FakeAsteriskManager ami;
    private static TestHotline hotline;

    @BeforeAll
    static void start() throws Exception {
        ami = new FakeAsteriskManager(
                "vssid-callback",
                SECRET,
                originate -> PHONES.getOrDefault(originate.variable("VSSID_CALLBACK_NUMBER"), Outcome.ANSWERED));
        hotline = TestHotline.start(Map.of(
                "IVR_VERIFICATION_MODE", "call-back",
                "IVR_AMI_HOST", "127.0.0.1",
                "IVR_AMI_PORT", Integer.toString(ami.port()),
                "IVR_AMI_SECRET", SECRET,
                "IVR_CALLBACK_DELAY", "1s",
                "IVR_CALLBACK_GAP", "10m",
                "IVR_MAX_RESETS_PER_CODE", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        hotline.close();
        ami.close();
    }

    @Test
    void theCallerIsPromisedACallBack_theRegisteredNumberIsCalled_andTheLegReadsThePasswordOnlyAfter1()
            throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        String registered = "+84" + subscriber.phone().substring(1);

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(spoken(call)).containsExactly("welcome", "ask-code", "callback-promise", "goodbye");
        CallRecord caller = hotline.lastCallFrom(subscriber.phone());
        assertThat(caller.getOutcome()).isEqualTo("call_back_promised");
        assertThat(caller.getCallBack()).isFalse();
        assertThat(caller.getBilledMinutes()).isEqualTo(1);
        assertThat(caller.getChargedVnd()).isEqualTo(1_000L);
        assertThat(hotline.passwordHash(subscriber.code()))
                .as("nothing changes on the caller's call")
                .isNull();

        Originate originate = nextOriginate();
        assertThat(originate.variable("VSSID_CALLBACK_NUMBER")).isEqualTo(registered);
        assertThat(originate.variable("VSSID_CALLBACK_LANG")).isEqualTo("vi");
        assertThat(originate.headers())
                .containsEntry("channel", "Local/s@vssid-callback-dial/n")
                .containsEntry("context", "vssid-callback-leg")
                .containsEntry("exten", "s")
                .containsEntry("priority", "1")
                .containsEntry("async", "true");
        String request = originate.variable("VSSID_CALLBACK_ID");
        assertThat(request(request).getRequestedByCall()).isEqualTo(caller.getId());

        CallTranscript leg = hotline.call(legOf(request).keysDuringPrompt("callback-intro", "1"));

        assertThat(spoken(leg)).startsWith("callback-intro", "password-intro").endsWith("goodbye");
        String password = HeardPasswords.remember(leg.digitsAfter("password-intro", 1));
        assertThat(new Argon2idPasswordHasher(new SecureRandom())
                        .verify(password.toCharArray(), hotline.passwordHash(subscriber.code())))
                .isTrue();
        CallRecord legRecord = hotline.dsl()
                .selectFrom(CALL)
                .where(CALL.ID.eq(request(request).getLegCallId()))
                .fetchOne();
        assertThat(legRecord.getCallBack()).isTrue();
        assertThat(legRecord.getOutcome()).isEqualTo("password_heard");
        assertThat(legRecord.getCallerIdE164()).isEqualTo(registered);
        assertThat(legRecord.getBilledMinutes())
                .as("the leg's minutes are counted")
                .isEqualTo(1);
        assertThat(legRecord.getChargedVnd())
                .as("and charged to nobody: they are the hotline's cost")
                .isZero();
        assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(legRecord.getId())))
                .isEqualTo(1);
        assertThat(request(request).getResult()).isEqualTo("answered");
        assertThat(chargesReport())
                .as("the charges report shows call-back legs apart, charged to nobody")
                .containsPattern("(?m)^call_back_leg:password_heard,\\d+,\\d+,0$")
                .containsPattern("(?m)^call_back_legs_hotline_cost,\\d+,[1-9]\\d*,0$");

        CallTranscript again = hotline.call(legOf(request).keysDuringPrompt("callback-intro", "1"));
        assertThat(spoken(again)).as("a request serves one leg only").containsExactly("goodbye");
    }

    @Test
    void whoeverAnswersWithout1HearsNoPassword_andNothingChanges() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        String request = nextOriginate().variable("VSSID_CALLBACK_ID");

        CallTranscript leg = hotline.call(legOf(request).keysDuringPrompt("callback-intro", "2"));

        assertThat(spoken(leg)).doesNotContain("password-intro").endsWith("goodbye");
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
        CallRecord legRecord = hotline.dsl()
                .selectFrom(CALL)
                .where(CALL.ID.eq(request(request).getLegCallId()))
                .fetchOne();
        assertThat(legRecord.getOutcome()).isEqualTo("call_back_declined");
        assertThat(legRecord.getCallBack()).isTrue();
    }

    @Test
    void aLegNamingNoRequestOrAForgedOne_hearsGoodbyeOnly() {
        for (String forged : List.of(java.util.UUID.randomUUID().toString(), "1%27%20OR%201=1", "")) {
            CallTranscript leg = hotline.call(legOf(forged).keysDuringPrompt("callback-intro", "1"));

            assertThat(spoken(leg)).as("request '%s'", forged).containsExactly("goodbye");
        }
        assertThat(hotline.dsl().fetchCount(CALL, CALL.CALL_BACK.isTrue().and(CALL.OUTCOME.eq("call_back_declined"))))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void busyAndNoAnswerAreRecordedFromAsterisksOriginateResponse() throws Exception {
        Subscriber busy = hotline.freshSubscriber();
        Subscriber away = hotline.freshSubscriber();
        PHONES.put("+84" + busy.phone().substring(1), Outcome.BUSY);
        PHONES.put("+84" + away.phone().substring(1), Outcome.NO_ANSWER);

        double busyBefore = callBacks("busy");
        double noAnswerBefore = callBacks("no_answer");
        hotline.call(CallerScript.from(busy.phone()).keys(busy.code() + "#"));
        String busyRequest = nextOriginate().variable("VSSID_CALLBACK_ID");
        hotline.call(CallerScript.from(away.phone()).keys(away.code() + "#"));
        String awayRequest = nextOriginate().variable("VSSID_CALLBACK_ID");

        assertThat(eventually(busyRequest)).isEqualTo("busy");
        assertThat(eventually(awayRequest)).isEqualTo("no_answer");
        assertThat(callBacks("busy") - busyBefore)
                .as("ivr_callbacks_total{result=busy}")
                .isEqualTo(1.0);
        assertThat(callBacks("no_answer") - noAnswerBefore)
                .as("ivr_callbacks_total{result=no_answer}")
                .isEqualTo(1.0);
        assertThat(hotline.passwordHash(busy.code())).isNull();
        assertThat(ami.originates()).as("no second call for a request").isEmpty();
    }

    @Test
    void aCallerWhoseNumberIsNotRegisteredForTheCode_getsTheUniformAnswerAndNoCall() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call =
                hotline.call(CallerScript.from(hotline.freshStranger()).keys(subscriber.code() + "#"));

        assertThat(spoken(call)).containsExactly("welcome", "ask-code", "mismatch", "other-ways", "goodbye");
        assertThat(ami.originates().poll(3, TimeUnit.SECONDS)).isNull();
        assertThat(callBacksFor(subscriber.code())).isEmpty();
    }

    @Test
    void aSecondCallBackToOneNumberInsideTheGap_isRefusedWithTheUniformAnswer() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        nextOriginate();

        CallTranscript second =
                hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(spoken(second)).containsExactly("welcome", "ask-code", "mismatch", "other-ways", "goodbye");
        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("not_verified");
        assertThat(ami.originates().poll(3, TimeUnit.SECONDS)).isNull();
        assertThat(callBacksFor(subscriber.code())).hasSize(1);
    }

    @Test
    void aRegisteredNumberTheHotlineMayNotDial_isNeverCalled() throws Exception {
        // +84 6… is a valid number to compare caller IDs with, but no Vietnamese mobile or landline.
        String code = "6" + hotline.freshSubscriber().code().substring(1);
        hotline.dsl()
                .insertInto(SUBSCRIBER)
                .set(SUBSCRIBER.BHXH_CODE, code)
                .set(SUBSCRIBER.PHONE_E164, "+84612345678")
                .execute();

        CallTranscript call = hotline.call(CallerScript.from("0612345678").keys(code + "#"));

        assertThat(spoken(call)).containsExactly("welcome", "ask-code", "mismatch", "other-ways", "goodbye");
        assertThat(ami.originates().poll(3, TimeUnit.SECONDS)).isNull();
        assertThat(callBacksFor(code)).isEmpty();
    }

    @Test
    void aNumberWithOtherCharactersInTheDatabase_isNeverDialled_andTheRequestTableRefusesIt() {
        Subscriber subscriber = hotline.freshSubscriber();
        String code = "7" + subscriber.code().substring(1);
        hotline.dsl().execute("ALTER TABLE subscriber DROP CONSTRAINT IF EXISTS subscriber_phone_is_e164");
        hotline.dsl()
                .insertInto(SUBSCRIBER)
                .set(SUBSCRIBER.BHXH_CODE, code)
                .set(SUBSCRIBER.PHONE_E164, "+84912345678&x")
                .execute();
        JooqCallBackRequests requests =
                new JooqCallBackRequests(hotline.dsl(), 3, Duration.ofHours(24), Duration.ofMinutes(10));

        CallBackDecision decision = requests.request(new BhxhCode(code), CallRef.next(), Language.VI, Instant.now());

        assertThat(decision.order()).isEmpty();
        assertThat(decision.refusal()).isEqualTo(CallBackDecision.NOT_DIALLABLE);
        assertThat(callBacksFor(code)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hotline.dsl()
                        .insertInto(CALLBACK_REQUEST)
                        .set(CALLBACK_REQUEST.ID, java.util.UUID.randomUUID())
                        .set(CALLBACK_REQUEST.REQUESTED_BY_CALL, java.util.UUID.randomUUID())
                        .set(CALLBACK_REQUEST.BHXH_CODE, code)
                        .set(CALLBACK_REQUEST.PHONE_E164, "+84912345678&x")
                        .set(CALLBACK_REQUEST.LANGUAGE, "vi")
                        .set(CALLBACK_REQUEST.REQUESTED_AT, java.time.OffsetDateTime.now())
                        .execute())
                .hasMessageContaining("callback_request_phone_is_diallable");
    }

    @Test
    void aCodeGetsNoMoreCallBacksADayThanItMayHaveResets() {
        Subscriber subscriber = hotline.freshSubscriber();
        BhxhCode code = new BhxhCode(subscriber.code());
        JooqCallBackRequests requests =
                new JooqCallBackRequests(hotline.dsl(), 2, Duration.ofHours(24), Duration.ofMinutes(10));
        Instant start = Instant.now();

        List<CallBackDecision> decisions = List.of(
                requests.request(code, CallRef.next(), Language.VI, start),
                requests.request(code, CallRef.next(), Language.VI, start.plus(Duration.ofMinutes(5))),
                requests.request(code, CallRef.next(), Language.VI, start.plus(Duration.ofMinutes(11))),
                requests.request(code, CallRef.next(), Language.VI, start.plus(Duration.ofMinutes(22))));

        assertThat(decisions)
                .extracting(CallBackDecision::refusal)
                .containsExactly("", CallBackDecision.TOO_SOON, "", CallBackDecision.CODE_LIMIT);
        assertThat(callBacksFor(subscriber.code())).hasSize(2);
    }

    private static String chargesReport() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.time.LocalDate today = java.time.LocalDate.now(ChargeTotals.VIETNAM);
        ChargesReport.print(
                ChargeTotals.byOutcome(hotline.dsl(), today.minusDays(1), today.plusDays(1)),
                today,
                today,
                true,
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static CallerScript legOf(String request) {
        return CallerScript.from("s").script("vssid-callback").parameter("request", request);
    }

    private static Originate nextOriginate() throws InterruptedException {
        Originate originate = ami.originates().poll(15, TimeUnit.SECONDS);
        assertThat(originate).as("an Originate reached Asterisk's manager").isNotNull();
        return originate;
    }

    private static CallbackRequestRecord request(String id) {
        return hotline.dsl()
                .selectFrom(CALLBACK_REQUEST)
                .where(CALLBACK_REQUEST.ID.eq(java.util.UUID.fromString(id)))
                .fetchOne();
    }

    private static List<CallbackRequestRecord> callBacksFor(String code) {
        return hotline.dsl()
                .selectFrom(CALLBACK_REQUEST)
                .where(CALLBACK_REQUEST.BHXH_CODE.eq(code))
                .fetch();
    }

    private static String eventually(String request) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String result = request(request).getResult();
            if (!result.equals("requested")) {
                return result;
            }
            Thread.sleep(100);
        }
        return request(request).getResult();
    }

    private static List<String> spoken(CallTranscript call) {
        return call.promptNames().stream()
                .filter(name -> !name.startsWith("digit-") && !name.equals("pause") && !name.equals("gap"))
                .filter(name -> !name.equals("password-again")
                        && !name.equals("password-notice")
                        && !name.equals("repeat-offer"))
                .toList();
    }

    /** ivr_callbacks_total for one result, as the hotline counts it. */
    private static double callBacks(String result) {
        var counter = hotline.hotline()
                .registry()
                .find("ivr.callbacks")
                .tag("result", result)
                .counter();
        return counter == null ? -1 : counter.count();
    }
}
