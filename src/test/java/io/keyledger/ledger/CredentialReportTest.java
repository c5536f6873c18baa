package io.keyledger.ledger;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every active key of an org, its last use and whether it outlives the org's policy: as JSON or CSV. */
@QuarkusTest
class CredentialReportTest {

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    @Test
    void report_listsActiveKeys_flagsThoseOutlivingThePolicy_filtersByDisuse_andSpeaksCsv() {
        String org = Fixtures.newOrg();
        Api.admin(org).postAccount("{\"name\":\"deployer\",\"privilege\":\"admin\"}").statusCode(201);
        Fixtures.createServiceAccount(org, "reader");
        String old = Fixtures.createKey(org, "deployer", "from before, never expires");
        String gone = Fixtures.createKey(org, "reader", "revoked");
        Api.admin(org).revoke("reader", gone).statusCode(200);
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":30}").statusCode(200);
        String capped = Api.admin(org).createKey("reader", "{\"description\":\"=HYPERLINK(\\\"x\\\"), with a comma\"}")
                .id();

        Api.member(org).credentialReport().statusCode(200).body("id", containsInAnyOrder(old, capped))
                .body("find { it.id == '" + old + "' }.exceeds_policy", equalTo(true))
                .body("find { it.id == '" + old + "' }.service_account", equalTo("deployer"))
                .body("find { it.id == '" + old + "' }.privilege", equalTo("admin"))
                .body("find { it.id == '" + capped + "' }.exceeds_policy", equalTo(false))
                .body("find { it.id == '" + capped + "' }.last_used_at", nullValue())
                .body("[0]", hasKey("last_used_at"));

        // nothing has gone unused for a day yet; two days on (the injected clock), everything has
        Api.member(org).query("unused_for_days", 1).credentialReport().statusCode(200).body("$", empty());
        ShiftableClock.shift(Duration.ofDays(2));
        Api.member(org).query("unused_for_days", 1).credentialReport().statusCode(200).body("id",
                containsInAnyOrder(old, capped));
        ShiftableClock.reset();

        String csv = Api.member(org).accept("text/csv").credentialReport().statusCode(200)
                .contentType(containsString("text/csv")).header("Content-Type", not(containsString("qs"))).extract()
                .asString();
        List<String> lines = csv.lines().toList();
        assertEquals(
                "\"service_account\",\"privilege\",\"id\",\"description\",\"created_at\",\"expires_at\","
                        + "\"last_used_at\",\"exceeds_policy\",\"scopes\",\"allowed_cidrs\",\"disabled_at\"",
                lines.get(0));
        assertEquals(3, lines.size(), csv);
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"x\"\"), with a comma\""), "quoted, and no formula: " + csv);
        assertTrue(lines.stream().anyMatch(
                l -> l.startsWith("\"deployer\",\"admin\",\"" + old + "\",") && l.endsWith(",\"true\",\"\",\"\",\"\"")),
                csv);
    }

    @Test
    void report_showsScopes_allowedCidrs_andDisabledAt_onlyForTheKeysThatHaveThem() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String plain = Fixtures.createKey(org, "svc", "plain");
        String narrow = Api.admin(org)
                .createKey("svc", "{\"description\":\"narrow\",\"scopes\":[\"keyledger:read\",\"orders:write\"],"
                        + "\"allowed_cidrs\":[\"10.1.2.0/24\",\"2001:db8::/32\"]}")
                .id();
        Api.admin(org).disable("svc", narrow, "{\"reason\":\"suspected leak\"}").statusCode(200);

        Api.member(org).credentialReport().statusCode(200).body("id", containsInAnyOrder(plain, narrow))
                .body("find { it.id == '" + narrow + "' }.scopes", equalTo(List.of("keyledger:read", "orders:write")))
                .body("find { it.id == '" + narrow + "' }.allowed_cidrs",
                        equalTo(List.of("10.1.2.0/24", "2001:db8::/32")))
                .body("find { it.id == '" + narrow + "' }.disabled_at", notNullValue())
                .body("find { it.id == '" + plain + "' }", not(hasKey("scopes")))
                .body("find { it.id == '" + plain + "' }", not(hasKey("allowed_cidrs")))
                .body("find { it.id == '" + plain + "' }", not(hasKey("disabled_at")));

        List<String> lines = Api.member(org).accept("text/csv").credentialReport().statusCode(200).extract().asString()
                .lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"" + narrow + "\"") && l.matches(
                ".*,\"keyledger:read orders:write\",\"10\\.1\\.2\\.0/24 2001:db8::/32\",\"[0-9]+(\\.[0-9]+)?\"")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"" + plain + "\"") && l.endsWith(",\"\",\"\",\"\"")),
                lines::toString);
    }

    @Test
    void report_needsReadRights_andAValidFilter() {
        String org = Fixtures.newOrg();
        Api.as(Tokens.admin("elsewhere"), org).credentialReport().statusCode(403);
        for (String bad : new String[]{"-1", "x", "99999999"}) {
            Api.admin(org).query("unused_for_days", bad).credentialReport().statusCode(400)
                    .body("errors.unused_for_days", notNullValue());
        }
    }
}
