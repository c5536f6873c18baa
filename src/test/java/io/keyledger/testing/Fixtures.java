package io.keyledger.testing;

import java.util.UUID;

/** Small helpers for arranging state through the real API, as an org's admin ({@link Api}). */
public final class Fixtures {

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
}
