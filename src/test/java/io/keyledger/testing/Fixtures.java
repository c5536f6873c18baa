package io.keyledger.testing;

import java.util.UUID;
import java.util.zip.CRC32;

/** Small helpers for arranging state through the real API, as an org's admin ({@link Api}). */
public final class Fixtures {

    /** The characters of an API key's random part and checksum. */
    private static final String KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Fixtures() {
    }

    /** A fresh org name per test, so tests never see each other's data. */
    public static String newOrg() {
        return "org-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A fresh org with these service accounts (member privilege), created in this order. */
    public static String newOrgWithAccounts(String... names) {
        String org = newOrg();
        for (String name : names) {
            createServiceAccount(org, name);
        }
        return org;
    }

    public static void createServiceAccount(String org, String name) {
        Api.admin(org).createAccount(name);
    }

    /** Creates a key and returns its id. */
    public static String createKey(String org, String name, String description) {
        return Api.admin(org).createKey(name, "{\"description\":\"" + description + "\"}").id();
    }

    /** A key of the right shape with a valid checksum that this service never issued. */
    public static String wellFormedUnknownKey() {
        StringBuilder random = new StringBuilder();
        java.util.Random r = new java.util.Random();
        for (int i = 0; i < 30; i++) {
            random.append(KEY_ALPHABET.charAt(r.nextInt(62)));
        }
        CRC32 crc = new CRC32();
        for (char c : random.toString().toCharArray()) {
            crc.update(c);
        }
        long v = crc.getValue();
        char[] sum = new char[6];
        for (int i = 5; i >= 0; i--) {
            sum[i] = KEY_ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        return "kl_" + random + new String(sum);
    }
}
