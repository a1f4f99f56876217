package vn.vss.ivr.call;

/** What the call-back leg is for: the code whose password it may reset, and the number it called. */
public record CallBackLeg(CallBackId id, BhxhCode code, PhoneNumber number) {}
