package vn.vss.ivr.adapter.smpp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.ResetNotice;

/**
 * One transceiver bind to the SMSC (jSMPP): submit_sm out, delivery receipts in. A session that is
 * lost is replaced by a fresh one at the next {@link #bound()}; jSMPP's enquire_link keeps an idle
 * one alive and notices a dead peer.
 */
final class SmscLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmscLink.class);

    /** UCS2 (data_coding 8): the notice's Vietnamese letters do not exist in the GSM alphabet. */
    private static final GeneralDataCoding UCS2 = new GeneralDataCoding(Alphabet.ALPHA_UCS2);

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int ENQUIRE_LINK_MS = 30_000;

    private final SmppSettings settings;
    private final MessageReceiverListener receipts;
    private volatile SMPPSession session;
    private volatile boolean unreachableLogged;

    SmscLink(SmppSettings settings, MessageReceiverListener receipts) {
        this.settings = settings;
        this.receipts = receipts;
    }

    /** True when a bind is up, binding again first if it was lost. */
    boolean bound() {
        SMPPSession current = session;
        if (current != null && current.getSessionState().isTransmittable()) {
            return true;
        }
        if (current != null) {
            current.close();
            session = null;
            log.warn("the bind to the SMSC {} was lost; binding again", settings.address());
        }
        return bind();
    }

    private boolean bind() {
        SMPPSession fresh = new SMPPSession((host, port) -> {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return new SocketConnection(socket);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        });
        fresh.setTransactionTimer(settings.responseTimeout().toMillis());
        fresh.setEnquireLinkTimer(ENQUIRE_LINK_MS);
        fresh.setMessageReceiverListener(receipts);
        try {
            fresh.connectAndBind(
                    settings.host(),
                    settings.port(),
                    new BindParameter(
                            BindType.BIND_TRX,
                            settings.systemId(),
                            settings.password(),
                            "",
                            TypeOfNumber.UNKNOWN,
                            NumberingPlanIndicator.UNKNOWN,
                            null),
                    settings.responseTimeout().toMillis());
        } catch (IOException e) {
            fresh.close();
            if (!unreachableLogged) {
                log.warn(
                        "the SMSC {} cannot be bound ({}); notices wait and binding is retried",
                        settings.address(),
                        e.getMessage());
                unreachableLogged = true;
            }
            return false;
        }
        session = fresh;
        unreachableLogged = false;
        log.info("bound to the SMSC {} as transceiver", settings.address());
        return true;
    }

    /**
     * Submits one notice and waits for the SMSC's answer. The text goes in message_payload (SMPP 3.4,
     * 5.3.2.32): in UCS2 it is longer than the 140 octets of short_message, and one submit_sm keeps
     * one message id, one receipt and one answer to be sure of.
     */
    Submission submit(ResetNotice notice) {
        SMPPSession current = session;
        if (current == null || !current.getSessionState().isTransmittable()) {
            return new Submission.NotSent("not bound to the SMSC");
        }
        SmsAddress to = SmsAddress.citizen(notice.phoneE164());
        SmsAddress from = settings.source();
        byte[] text = notice.text().getBytes(StandardCharsets.UTF_16BE);
        try {
            var result = current.submitShortMessage(
                    "",
                    from.ton(),
                    from.npi(),
                    from.address(),
                    to.ton(),
                    to.npi(),
                    to.address(),
                    new ESMClass(),
                    (byte) 0,
                    (byte) 0,
                    null,
                    null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE),
                    (byte) 0,
                    UCS2,
                    (byte) 0,
                    new byte[0],
                    new OptionalParameter.OctetString(OptionalParameter.Tag.MESSAGE_PAYLOAD.code(), text));
            return new Submission.Accepted(result.getMessageId());
        } catch (NegativeResponseException e) {
            return new Submission.Refused(e.getCommandStatus());
        } catch (ResponseTimeoutException e) {
            return new Submission.Unanswered(
                    "no submit_sm_resp within " + settings.responseTimeout().toMillis() + " ms");
        } catch (InvalidResponseException e) {
            return new Submission.Unanswered("an answer that could not be read: " + e.getMessage());
        } catch (PDUException e) {
            // Built from our own settings and a number the database checked: a fault of ours, written nowhere.
            return new Submission.Invalid(e.getMessage());
        } catch (IOException e) {
            // The connection broke: the PDU may have left before it did.
            return new Submission.Unanswered("connection lost: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        SMPPSession current = session;
        session = null;
        if (current != null) {
            current.unbindAndClose();
        }
    }
}
