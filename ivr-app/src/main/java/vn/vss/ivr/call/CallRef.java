package vn.vss.ivr.call;

/** The call record's identity in the call records store. */
public record CallRef(long id) {}
