package vn.vss.ivr.call;

/** One-way hashing of passwords for storage. */
public interface PasswordHasher {
    /** A self-describing hash string (algorithm, parameters, salt, hash). */
    String hash(char[] password);

    boolean verify(char[] password, String storedHash);
}
