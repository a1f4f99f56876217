package vn.vss.ivr.call;

import java.util.UUID;

/**
 * A call's identity, made by the app when the call arrives: the record and the charges of a call
 * can then be written later (after a database outage) without asking the database for an id.
 */
public record CallRef(UUID id) {
    public static CallRef next() {
        return new CallRef(UUID.randomUUID());
    }
}
