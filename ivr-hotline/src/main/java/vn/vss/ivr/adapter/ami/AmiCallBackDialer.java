package vn.vss.ivr.adapter.ami;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.CallBackDialer;
import vn.vss.ivr.call.CallBackOrder;
import vn.vss.ivr.call.CallBackResult;

/**
 * Places call-backs through Asterisk's manager (asterisk-java's {@link ManagerConnection}): one
 * asynchronous {@code Originate} per order, always of the same shape, into the one context the
 * dialplan keeps for it:
 *
 * <pre>
 * Channel: Local/s@vssid-callback-dial/n    (dials the carrier trunk, after checking the number)
 * Context: vssid-callback-leg, Exten: s, Priority: 1   (runs the FastAGI script vssid-callback)
 * Variable: VSSID_CALLBACK_NUMBER=+84…, VSSID_CALLBACK_ID=&lt;uuid&gt;, VSSID_CALLBACK_LANG=vi|en
 * </pre>
 *
 * Only values the app made or read from its database go into the action: the number (already
 * checked against the Vietnamese E.164 pattern), the request's UUID and the language code. Asterisk
 * answers the action at once and tells how the call went in an {@code OriginateResponse} event
 * carrying the same ActionID; an order it never reports on within the ring time and a margin is
 * recorded as timed out. An order is never dialled twice.
 */
public final class AmiCallBackDialer implements CallBackDialer, AutoCloseable {
    public static final String DIAL_CHANNEL = "Local/s@vssid-callback-dial/n";
    public static final String LEG_CONTEXT = "vssid-callback-leg";
    private static final Logger log = LoggerFactory.getLogger(AmiCallBackDialer.class);
    /** Beyond the ring time: Asterisk's own set-up, and the event's way back. */
    private static final Duration REPORT_MARGIN = Duration.ofSeconds(30);

    private static final long ACTION_TIMEOUT_MILLIS = 10_000;

    private final AmiSettings settings;
    private final ManagerConnection connection;
    private final Map<String, Consumer<CallBackResult>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ami-call-back-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    public AmiCallBackDialer(AmiSettings settings) {
        this.settings = settings;
        this.connection =
                new Asterisk22ManagerConnection(settings.host(), settings.port(), settings.user(), settings.secret());
        connection.addEventListener(this::onEvent);
    }

    @Override
    public void dial(CallBackOrder order, Consumer<CallBackResult> onResult) {
        String actionId = order.id().toString();
        waiting.put(actionId, onResult);
        try {
            loggedIn();
            ManagerResponse response = connection.sendAction(originate(order), ACTION_TIMEOUT_MILLIS);
            if (!"Success".equalsIgnoreCase(response.getResponse())) {
                log.error("Asterisk refused call-back {}: {}", actionId, response.getMessage());
                finish(actionId, CallBackResult.FAILED);
                return;
            }
        } catch (Exception e) {
            log.error("call-back {} could not be asked of Asterisk's manager: {}", actionId, e.toString());
            finish(actionId, CallBackResult.FAILED);
            return;
        }
        timeouts.schedule(
                () -> finish(actionId, CallBackResult.TIMED_OUT),
                settings.ringTimeout().plus(REPORT_MARGIN).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private OriginateAction originate(CallBackOrder order) {
        OriginateAction action = new OriginateAction();
        action.setActionId(order.id().toString());
        action.setChannel(DIAL_CHANNEL);
        action.setContext(LEG_CONTEXT);
        action.setExten("s");
        action.setPriority(1);
        action.setAsync(true);
        // Shorter than the dialplan's CALLBACK_RING_SECONDS: when this time-out ends the ringing,
        // Asterisk reports Reason 3 (rang, no answer); a Dial() time-out would read as a failure.
        action.setTimeout(settings.ringTimeout().toMillis());
        action.setVariable("VSSID_CALLBACK_NUMBER", order.number().e164());
        action.setVariable("VSSID_CALLBACK_ID", order.id().toString());
        action.setVariable("VSSID_CALLBACK_LANG", order.language().code());
        return action;
    }

    private synchronized void loggedIn() throws Exception {
        ManagerConnectionState state = connection.getState();
        if (state != ManagerConnectionState.CONNECTED) {
            if (state == ManagerConnectionState.RECONNECTING || state == ManagerConnectionState.CONNECTING) {
                throw new IllegalStateException("the manager connection is being re-established");
            }
            connection.login();
        }
    }

    private void onEvent(ManagerEvent event) {
        if (event instanceof OriginateResponseEvent response && response.getActionId() != null) {
            finish(response.getActionId(), resultOf(response));
        }
    }

    /**
     * Asterisk's Reason is the last control frame the channel saw: 4 answered, 5 busy, 3 rang
     * without an answer, 8 congestion (the carrier or the dialplan refused); 0 and 1 are failures
     * before ringing (among them a number the dialplan's pattern refused).
     */
    static CallBackResult resultOf(OriginateResponseEvent event) {
        if ("Success".equalsIgnoreCase(event.getResponse())) {
            return CallBackResult.ANSWERED;
        }
        Integer reason = event.getReason();
        return switch (reason == null ? -1 : reason) {
            case 5 -> CallBackResult.BUSY;
            case 3 -> CallBackResult.NO_ANSWER;
            default -> CallBackResult.REJECTED;
        };
    }

    private void finish(String actionId, CallBackResult result) {
        Consumer<CallBackResult> onResult = waiting.remove(actionId);
        if (onResult != null) {
            onResult.accept(result);
        }
    }

    @Override
    public void close() {
        timeouts.shutdownNow();
        if (connection.getState() == ManagerConnectionState.CONNECTED) {
            connection.logoff();
        }
    }
}
