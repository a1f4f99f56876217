package vn.vss.ivr.call;

/** Makes untrusted text (caller ID, AGI values) safe to store or log: control characters escaped, length capped. */
public final class UntrustedText {
    private UntrustedText() {}

    /** At most {@code maxChars} characters of the input, with control characters written as {@code \xNN}. */
    public static String printable(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        String kept = text.length() > maxChars ? text.substring(0, maxChars) : text;
        StringBuilder out = new StringBuilder(kept.length());
        for (int i = 0; i < kept.length(); i++) {
            char c = kept.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
