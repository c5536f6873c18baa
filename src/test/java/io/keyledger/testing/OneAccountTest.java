package io.keyledger.testing;

import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;

/** For tests about one service account (member privilege): each test gets a fresh org that holds it. */
public abstract class OneAccountTest {

    /** The account's name. */
    protected final String account;

    /** This test's org, made before each test. */
    protected String org;

    protected OneAccountTest(String account) {
        this.account = account;
    }

    @BeforeEach
    void freshOrgWithTheAccount() {
        org = Fixtures.newOrgWithAccounts(account);
    }

    /** {@code POST} a key for the account as the org's admin; {@code body} is the raw JSON a client sends. */
    protected ValidatableResponse postKey(String body) {
        return Api.admin(org).postKey(account, body);
    }
}
