package vn.vss.ivr.support;

import vn.vss.ivr.call.PasswordHasher;

/** A reversible stand-in for Argon2id, so unit tests can see which password was stored. */
public final class FakePasswordHasher implements PasswordHasher {
    @Override
    public String hash(char[] password) {
        return "fake:" + new StringBuilder(new String(password)).reverse();
    }

    @Override
    public boolean verify(char[] password, String storedHash) {
        return hash(password).equals(storedHash);
    }
}
