package vn.vss.ivr.adapter.smpp;

import java.util.Set;
import org.jsmpp.SMPPConstant;

/**
 * How the sender treats an SMSC's refusal of a submit_sm, by its command_status (SMPP 3.4, 5.1.3).
 */
enum SmscRefusal {
    /** The SMSC asks us to slow down: the notice is fine, try again after a pause. */
    THROTTLED,
    /** A fault on the SMSC's side that passes: try again later, a limited number of times. */
    TEMPORARY,
    /** The notice itself cannot be delivered this way (bad number, bad text): never try again. */
    PERMANENT;

    private static final Set<Integer> SLOW_DOWN =
            Set.of(SMPPConstant.STAT_ESME_RTHROTTLED, SMPPConstant.STAT_ESME_RMSGQFUL);

    private static final Set<Integer> PASSING = Set.of(
            SMPPConstant.STAT_ESME_RSYSERR,
            SMPPConstant.STAT_ESME_RSUBMITFAIL,
            SMPPConstant.STAT_ESME_RX_T_APPN,
            SMPPConstant.STAT_ESME_RINVBNDSTS,
            SMPPConstant.STAT_ESME_RUNKNOWNERR);

    static SmscRefusal of(int commandStatus) {
        if (SLOW_DOWN.contains(commandStatus)) {
            return THROTTLED;
        }
        return PASSING.contains(commandStatus) ? TEMPORARY : PERMANENT;
    }

    /** The status as SMPP names it, for logs and the row's last error. */
    static String name(int commandStatus) {
        for (var field : SMPPConstant.class.getFields()) {
            try {
                if (field.getName().startsWith("STAT_ESME_")
                        && field.getType() == int.class
                        && field.getInt(null) == commandStatus) {
                    return field.getName().substring("STAT_".length()) + String.format(" (0x%08X)", commandStatus);
                }
            } catch (IllegalAccessException e) {
                break;
            }
        }
        return String.format("command_status 0x%08X", commandStatus);
    }
}
