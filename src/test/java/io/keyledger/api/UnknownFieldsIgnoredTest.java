package io.keyledger.api;

import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Issue 21 §6: KEYLEDGER_API_UNKNOWN_FIELDS=ignore keeps the old behaviour, extra fields are passed over. */
@QuarkusTest
@TestProfile(UnknownFieldsIgnoredTest.Ignore.class)
class UnknownFieldsIgnoredTest {

    public static class Ignore extends ConfigOverrides {
        public Ignore() {
            super("keyledger.api.unknown-fields", "ignore");
        }
    }

    @Test
    void unknownFields_areIgnored_whenConfiguredSo() {
        String org = Fixtures.newOrg();
        Api.admin(org).postAccount("{\"name\":\"x6\",\"privilege\":\"member\",\"desription\":\"typo\"}").statusCode(201)
                .body("description", anyOf(nullValue(), emptyString()));
        Api.admin(org).postKey("x6", "{\"description\":\"deploys\",\"expires_att\":4102444000}").statusCode(201)
                .body("expires_at", equalTo(0)); // 0: never expires, as today
        Api.admin(org)
                .postKey("x6",
                        "{\"description\":\"d\",\"id\":\"mine\",\"key\":\"kl_chosen\",\"created_at\":1,"
                                + "\"colour\":\"red\"}")
                .statusCode(201).body("id", not(equalTo("mine"))).body("key", not(equalTo("kl_chosen")))
                .body("created_at", greaterThan(1.7e9f)).body("$", not(hasKey("colour")));
    }
}
