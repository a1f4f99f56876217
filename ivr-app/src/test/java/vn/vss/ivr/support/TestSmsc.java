package vn.vss.ivr.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

/**
 * A real SMPP 3.4 server on 127.0.0.1, jSMPP's own server side, standing for the carrier's SMSC. It
 * accepts one account's transceiver binds, records every submit_sm as it arrives, answers after an
 * optional delay, can refuse the next submits with chosen statuses (throttling), and sends a
 * delivery receipt for each message it accepted. {@link #stop()} closes the port and every bind, as
 * an SMSC going down would; {@link #start()} opens it again on the same port.
 */
public final class TestSmsc implements AutoCloseable {
    /** One submit_sm as the SMSC received it, and what it answered ({@code messageId} null: refused). */
    public record Submitted(
            String sourceAddr,
            byte sourceTon,
            byte sourceNpi,
            String destAddr,
            byte destTon,
            byte destNpi,
            byte dataCoding,
            byte registeredDelivery,
            int shortMessageLength,
            String text,
            String messageId,
            int status) {}

    private final int port;
    private final String systemId;
    private final String password;
    private final List<Submitted> submitted = new CopyOnWriteArrayList<>();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final Deque<Integer> refusals = new ArrayDeque<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger binds = new AtomicInteger();
    private final ScheduledExecutorService receiptSender = Executors.newScheduledThreadPool(2);
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile SMPPServerSessionListener listener;

    public TestSmsc(int port, String systemId, String password) {
        this.port = port;
        this.systemId = systemId;
        this.password = password;
    }

    public int port() {
        return port;
    }

    /** The settings that point the app at this SMSC. */
    public java.util.Map<String, String> settings() {
        return java.util.Map.of(
                "IVR_SMSC_ADDRESS", "127.0.0.1:" + port, "IVR_SMSC_SYSTEM_ID", systemId, "IVR_SMSC_PASSWORD", password);
    }

    public synchronized TestSmsc start() throws IOException {
        SMPPServerSessionListener fresh = new SMPPServerSessionListener(port, new LoopbackOnly());
        fresh.setPduProcessorDegree(32);
        fresh.setMessageReceiverListener(new Receiver());
        listener = fresh;
        Thread acceptor = new Thread(() -> acceptBinds(fresh), "test-smsc-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    private void acceptBinds(SMPPServerSessionListener from) {
        while (true) {
            SMPPServerSession session;
            try {
                session = from.accept();
            } catch (IOException closed) {
                return;
            }
            sessions.add(session);
            Thread binder = new Thread(() -> bind(session), "test-smsc-bind");
            binder.setDaemon(true);
            binder.start();
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(5_000);
            if (systemId.equals(request.getSystemId()) && password.equals(request.getPassword())) {
                request.accept("test-smsc");
                binds.incrementAndGet();
            } else {
                request.reject(SMPPConstant.STAT_ESME_RINVPASWD);
            }
        } catch (IOException | TimeoutException | IllegalStateException | org.jsmpp.PDUStringException e) {
            session.close();
        }
    }

    /** Closes the port and every bind, as an SMSC going down. */
    public synchronized void stop() {
        SMPPServerSessionListener current = listener;
        listener = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        for (SMPPServerSession session : sessions) {
            session.close();
        }
        sessions.clear();
    }

    /** Each submit_sm is answered this long after it arrives. */
    public void replyAfter(Duration delay) {
        this.replyDelay = delay;
    }

    /** The next submit_sm are refused with these command statuses, one each, in order. */
    public void refuseNext(int... statuses) {
        synchronized (refusals) {
            for (int status : statuses) {
                refusals.add(status);
            }
        }
    }

    public List<Submitted> submitted() {
        return List.copyOf(submitted);
    }

    public List<Submitted> accepted() {
        return submitted.stream().filter(s -> s.messageId() != null).toList();
    }

    /** The most submit_sm this SMSC held unanswered at one moment. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Successful binds so far. */
    public int binds() {
        return binds.get();
    }

    /** Waits up to {@code limit} until the submits received satisfy {@code condition}. */
    public void await(Predicate<List<Submitted>> condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.test(submitted())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the SMSC did not see " + what + " within " + limit + "; it received "
                        + submitted().size() + " submit_sm");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        stop();
        receiptSender.shutdownNow();
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
                throws ProcessRequestException {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            try {
                Integer refusal;
                synchronized (refusals) {
                    refusal = refusals.poll();
                }
                String id = refusal == null ? String.format("%08X", messageIds.incrementAndGet()) : null;
                submitted.add(new Submitted(
                        submitSm.getSourceAddr(),
                        submitSm.getSourceAddrTon(),
                        submitSm.getSourceAddrNpi(),
                        submitSm.getDestAddress(),
                        submitSm.getDestAddrTon(),
                        submitSm.getDestAddrNpi(),
                        submitSm.getDataCoding(),
                        submitSm.getRegisteredDelivery(),
                        submitSm.getShortMessage() == null ? 0 : submitSm.getShortMessage().length,
                        text(submitSm),
                        id,
                        refusal == null ? 0 : refusal));
                if (!replyDelay.isZero()) {
                    Thread.sleep(replyDelay.toMillis());
                }
                if (refusal != null) {
                    throw new ProcessRequestException("refused by the test", refusal);
                }
                receiptSender.schedule(() -> sendReceipt(source, submitSm, id), 50, TimeUnit.MILLISECONDS);
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessRequestException("interrupted", SMPPConstant.STAT_ESME_RSYSERR);
            } catch (org.jsmpp.PDUStringException e) {
                throw new ProcessRequestException("bad id", SMPPConstant.STAT_ESME_RSYSERR);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
                QueryBroadcastSm queryBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }

    /** The text from short_message or, when that is empty, message_payload, decoded by data_coding. */
    private static String text(SubmitSm submitSm) {
        byte[] bytes = submitSm.getShortMessage();
        if (bytes == null || bytes.length == 0) {
            OptionalParameter payload = submitSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
            bytes = payload instanceof OptionalParameter.OctetString octets ? octets.getValue() : new byte[0];
        }
        return submitSm.getDataCoding() == SMPPConstant.DC_UCS2
                ? new String(bytes, StandardCharsets.UTF_16BE)
                : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void sendReceipt(SMPPServerSession session, SubmitSm submitSm, String id) {
        try {
            Date now = new Date();
            DeliveryReceipt receipt = new DeliveryReceipt(id, 1, 1, now, now, DeliveryReceiptState.DELIVRD, "000", "");
            session.deliverShortMessage(
                    "",
                    TypeOfNumber.valueOf(submitSm.getDestAddrTon()),
                    NumberingPlanIndicator.valueOf(submitSm.getDestAddrNpi()),
                    submitSm.getDestAddress(),
                    TypeOfNumber.valueOf(submitSm.getSourceAddrTon()),
                    NumberingPlanIndicator.valueOf(submitSm.getSourceAddrNpi()),
                    submitSm.getSourceAddr(),
                    new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                    (byte) 0,
                    (byte) 0,
                    new RegisteredDelivery(0),
                    GeneralDataCoding.DEFAULT,
                    receipt.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (Exception lost) {
            // The bind went away (the sender was killed): a real SMSC would try again later.
        }
    }

    /** jSMPP's server socket, bound to the loopback address only. */
    private static final class LoopbackOnly implements ServerConnectionFactory {
        @Override
        public ServerConnection listen(int port) throws IOException {
            return listen(port, 0, 50);
        }

        @Override
        public ServerConnection listen(int port, int timeout) throws IOException {
            return listen(port, timeout, 50);
        }

        @Override
        public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
            socket.setSoTimeout(timeout);
            return new ServerSocketConnection(socket);
        }
    }
}
