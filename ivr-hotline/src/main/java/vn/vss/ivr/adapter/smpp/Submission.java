package vn.vss.ivr.adapter.smpp;

/** What became of one submit_sm. */
sealed interface Submission {
    /** submit_sm_resp with command_status 0: the SMSC has the message under this id. */
    record Accepted(String messageId) implements Submission {}

    /** submit_sm_resp with an error status: the SMSC does not have the message. */
    record Refused(int commandStatus) implements Submission {}

    /** The submit_sm could not even be built (a source address the PDU refuses): never sent, never will be. */
    record Invalid(String reason) implements Submission {}

    /** Nothing was written to the SMSC (not bound): the message is certainly not there. */
    record NotSent(String reason) implements Submission {}

    /**
     * The submit_sm may have reached the SMSC, but no answer came (time-out, connection lost while
     * waiting, an answer that could not be read). Sending it again could give the citizen two texts.
     */
    record Unanswered(String reason) implements Submission {}
}
