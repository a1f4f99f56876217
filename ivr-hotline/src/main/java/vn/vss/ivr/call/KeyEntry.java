package vn.vss.ivr.call;

/** The keys a caller pressed in one entry, and whether the entry ended by a pause rather than {@code #}. */
public record KeyEntry(String keys, boolean endedByTimeout) {
    public KeyEntry {
        keys = keys == null ? "" : keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
