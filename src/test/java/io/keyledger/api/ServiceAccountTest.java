package io.keyledger.api;

import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceAccountTest {

    String org;

    @BeforeEach
    void newOrg() {
        org = Fixtures.newOrg();
    }

    private ValidatableResponse post(String body) {
        return Api.admin(org).postAccount(body);
    }

    @Test
    void create_returns201_andGetReturnsTheAccount() {
        post("{\"name\":\"deployer\",\"description\":\"CD\",\"privilege\":\"snapshotter\"}").statusCode(201)
                .body("name", equalTo("deployer")).body("description", equalTo("CD"))
                .body("privilege", equalTo("snapshotter")).body("created_at", isA(Float.class));
        Api.member(org).getAccount("deployer").statusCode(200).body("name", equalTo("deployer")).body("privilege",
                equalTo("snapshotter"));
    }

    @Test
    void create_defaultsDescriptionToEmpty() {
        post("{\"name\":\"quiet\",\"privilege\":\"reader\"}").statusCode(201).body("description", equalTo(""));
    }

    @Test
    void create_returns409_onDuplicateName() {
        post("{\"name\":\"twin\",\"privilege\":\"admin\"}").statusCode(201);
        post("{\"name\":\"twin\",\"privilege\":\"member\"}").statusCode(409).body("message",
                equalTo("Service account already exists"));
    }

    @Test
    void create_returns400_onBadNameOrPrivilege() {
        post("{\"name\":\"Bad Name\",\"privilege\":\"admin\"}").statusCode(400).body("errors.name",
                containsString("lower-case"));
        post("{\"name\":\"-dash\",\"privilege\":\"admin\"}").statusCode(400).body("errors.name",
                not(emptyOrNullString()));
        post("{\"name\":\"" + "a".repeat(65) + "\",\"privilege\":\"admin\"}").statusCode(400).body("errors.name",
                not(emptyOrNullString()));
        post("{\"name\":\"ok\",\"privilege\":\"owner\"}").statusCode(400).body("errors.privilege",
                not(emptyOrNullString()));
        post("{\"name\":\"ok\"}").statusCode(400).body("errors.privilege", equalTo("Field required"));
        post("{\"privilege\":\"admin\"}").statusCode(400).body("errors.name", equalTo("Field required"));
        post("{\"name\":1,\"privilege\":2,\"description\":3}").statusCode(400)
                .body("errors.name", not(emptyOrNullString())).body("errors.privilege", not(emptyOrNullString()))
                .body("errors.description", not(emptyOrNullString()));
        post("nope").statusCode(400).body("errors.body", equalTo("Malformed JSON"));
    }

    @Test
    void get_returns404_whenMissing() {
        Api.admin(org).getAccount("absent").statusCode(404).body("message", equalTo("Service account not found"));
    }

    @Test
    void create_returns403_forMembers() {
        Api.member(org).postAccount("{\"name\":\"x\",\"privilege\":\"admin\"}").statusCode(403).body("message",
                equalTo("You don't have permission to access this resource"));
    }
}
