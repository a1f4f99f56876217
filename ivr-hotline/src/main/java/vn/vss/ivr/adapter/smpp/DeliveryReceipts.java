package vn.vss.ivr.adapter.smpp;

import java.time.Clock;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.NoticeOutbox;

/**
 * The SMSC's deliver_sm: delivery receipts are recorded on the notice they name; anything else (a
 * citizen replying to the notice) is acknowledged and dropped, since nobody reads replies here.
 */
final class DeliveryReceipts implements MessageReceiverListener {
    private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);

    private final NoticeOutbox outbox;
    private final SmsNoticeMetrics metrics;
    private final Clock clock;

    DeliveryReceipts(NoticeOutbox outbox, SmsNoticeMetrics metrics, Clock clock) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A receipt the database cannot take now is answered with a temporary error (ESME_RX_T_APPN), so
     * that the SMSC sends it again later rather than it being lost.
     */
    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        if (!deliverSm.isSmscDeliveryReceipt()) {
            log.info("a message from a citizen reached the SMS sender; replies are not read, it is dropped");
            return;
        }
        org.jsmpp.bean.DeliveryReceipt receipt;
        try {
            receipt = deliverSm.getShortMessageAsDeliveryReceipt();
        } catch (InvalidDeliveryReceiptException e) {
            log.warn("a delivery receipt could not be read ({}); dropped", e.getMessage());
            return;
        }
        String state = receipt.getFinalStatus() == null
                ? "UNKNOWN"
                : receipt.getFinalStatus().name();
        try {
            outbox.recordReceipt(receipt.getId(), state, receipt.getError(), clock.instant());
        } catch (RuntimeException e) {
            log.warn("a delivery receipt could not be recorded now ({}); the SMSC will send it again", e.getMessage());
            throw new ProcessRequestException("receipt not recorded", SMPPConstant.STAT_ESME_RX_T_APPN);
        }
        metrics.receipt(state);
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        // Only sent to ESMEs that asked for them (set_dpf); nothing to do.
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not taken", SMPPConstant.STAT_ESME_RINVCMDID);
    }
}
