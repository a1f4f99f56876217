package vn.vss.ivr.call;

/** A call-back to place: to the number registered for the code, in the caller's language. */
public record CallBackOrder(CallBackId id, PhoneNumber number, Language language) {}
