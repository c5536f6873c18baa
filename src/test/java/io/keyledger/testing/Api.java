package io.keyledger.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keyledger API as one caller sees it: an identity (a bearer token: a JWT or an API key) and an org, then typed
 * calls. Each call answers the rest-assured {@link ValidatableResponse}, so a test states its own statuses, bodies and
 * headers; bodies are the raw JSON a client sends. The paths are declared here, once.
 */
public final class Api {

    public static final String ACCOUNTS = "/api/v2/service-accounts/{org}";
    public static final String ACCOUNT = ACCOUNTS + "/{name}";
    public static final String ACCOUNT_EVENTS = ACCOUNT + "/events";
    public static final String KEYS = ACCOUNT + "/api-keys";
    public static final String KEY = KEYS + "/{id}";
    public static final String KEY_EVENTS = KEY + "/events";
    public static final String ROTATE = KEY + "/rotate";
    public static final String DISABLE = KEY + "/disable";
    public static final String ENABLE = KEY + "/enable";
    public static final String ORG_KEYS = "/api/v2/orgs/{org}/api-keys";
    public static final String KEY_POLICY = "/api/v2/orgs/{org}/key-policy";
    public static final String CREDENTIAL_REPORT = "/api/v2/orgs/{org}/credential-report";
    public static final String VERIFY = "/api/v2/api-keys/verify";
    public static final String LEAKED = "/api/v2/api-keys/leaked";
    public static final String LEDGER_VERIFY = "/api/v2/ledger/verify";
    public static final String VERIFICATIONS = "/api/v2/ledger/verifications";
    public static final String VERIFICATION = VERIFICATIONS + "/{id}";
    public static final String LATEST_VERIFICATION = VERIFICATIONS + "/latest";
    public static final String BOOTSTRAP = "/api/v2/bootstrap";

    /** A key as its creation answered it: the id and the value, shown once. */
    public record Key(String id, String value, ExtractableResponse<Response> created) {

        public <T> T path(String path) {
            return created.path(path);
        }
    }

    private final String token;
    private final String org;
    private final Map<String, Object> query;
    private final Map<String, String> headers;

    private Api(String token, String org, Map<String, Object> query, Map<String, String> headers) {
        this.token = token;
        this.org = org;
        this.query = query;
        this.headers = headers;
    }

    /** {@code token} (a JWT or an API key) acting in {@code org}. */
    public static Api as(String token, String org) {
        return new Api(token, org, Map.of(), Map.of());
    }

    /** {@code token} on calls outside any org's paths (verify, leaks, the ledger). */
    public static Api as(String token) {
        return as(token, null);
    }

    public static Api admin(String org) {
        return as(Tokens.admin(org), org);
    }

    public static Api member(String org) {
        return as(Tokens.member(org), org);
    }

    /** The calls carry this query parameter too. */
    public Api query(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(query);
        more.put(name, value);
        return new Api(token, org, more, headers);
    }

    /** The calls carry this header too (an {@code X-Request-Id}, an {@code Accept}, a {@code traceparent}). */
    public Api header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Api(token, org, query, more);
    }

    public Api accept(String mediaType) {
        return header("Accept", mediaType);
    }

    /** A request with this caller's credentials, query parameters and headers, for calls the typed ones do not cover. */
    public RequestSpecification request() {
        RequestSpecification request = given().auth().oauth2(token);
        if (!query.isEmpty()) {
            request.queryParams(query);
        }
        if (!headers.isEmpty()) {
            request.headers(headers);
        }
        return request;
    }

    private RequestSpecification json(String body) {
        return request().contentType(ContentType.JSON).body(body);
    }

    // service accounts

    public ValidatableResponse postAccount(String body) {
        return json(body).post(ACCOUNTS, org).then();
    }

    /** Creates {@code name} with member privilege, as {@link Fixtures} always has. */
    public void createAccount(String name) {
        postAccount("{\"name\":\"" + name + "\",\"description\":\"ci\",\"privilege\":\"member\"}").statusCode(201);
    }

    public void createAccount(String name, String privilege) {
        postAccount("{\"name\":\"" + name + "\",\"privilege\":\"" + privilege + "\"}").statusCode(201);
    }

    public ValidatableResponse listAccounts() {
        return request().get(ACCOUNTS, org).then();
    }

    public ValidatableResponse getAccount(String name) {
        return request().get(ACCOUNT, org, name).then();
    }

    public ValidatableResponse patchAccount(String name, String body) {
        return json(body).patch(ACCOUNT, org, name).then();
    }

    public ValidatableResponse deleteAccount(String name) {
        return request().delete(ACCOUNT, org, name).then();
    }

    public ValidatableResponse accountEvents(String name) {
        return request().get(ACCOUNT_EVENTS, org, name).then();
    }

    // keys

    public ValidatableResponse postKey(String account, String body) {
        return json(body).post(KEYS, org, account).then();
    }

    /** Creates a key (201) and answers its id and value. */
    public Key createKey(String account, String body) {
        ExtractableResponse<Response> created = postKey(account, body).statusCode(201).extract();
        return new Key(created.path("id"), created.path("key"), created);
    }

    public ValidatableResponse getKey(String account, String id) {
        return request().get(KEY, org, account, id).then();
    }

    public ValidatableResponse listKeys(String account) {
        return request().get(KEYS, org, account).then();
    }

    public ValidatableResponse revoke(String account, String id) {
        return request().delete(KEY, org, account, id).then();
    }

    public ValidatableResponse rotate(String account, String id, String body) {
        return json(body).post(ROTATE, org, account, id).then();
    }

    /** Quarantines a key: {@code body} holds the reason. */
    public ValidatableResponse disable(String account, String id, String body) {
        return json(body).post(DISABLE, org, account, id).then();
    }

    public ValidatableResponse enable(String account, String id) {
        return request().post(ENABLE, org, account, id).then();
    }

    public ValidatableResponse keyEvents(String account, String id) {
        return request().get(KEY_EVENTS, org, account, id).then();
    }

    // the org

    public ValidatableResponse orgKeys() {
        return request().get(ORG_KEYS, org).then();
    }

    public ValidatableResponse keyPolicy() {
        return request().get(KEY_POLICY, org).then();
    }

    public ValidatableResponse putKeyPolicy(String body) {
        return json(body).put(KEY_POLICY, org).then();
    }

    public ValidatableResponse credentialReport() {
        return request().get(CREDENTIAL_REPORT, org).then();
    }

    // gateways, leaks and the ledger (not scoped to an org in the path)

    public ValidatableResponse verify(String body) {
        return json(body).post(VERIFY).then();
    }

    /** The body as rest-assured serialises a map (a key value that needs JSON escaping, say). */
    public ValidatableResponse verify(Map<String, ?> body) {
        return request().contentType(ContentType.JSON).body(body).post(VERIFY).then();
    }

    public ValidatableResponse reportLeaked(String body) {
        return json(body).post(LEAKED).then();
    }

    public ValidatableResponse verifyLedger() {
        return request().get(LEDGER_VERIFY).then();
    }

    public ValidatableResponse startVerification() {
        return request().post(VERIFICATIONS).then();
    }

    public ValidatableResponse latestVerification() {
        return request().get(LATEST_VERIFICATION).then();
    }

    public ValidatableResponse verification(Object id) {
        return request().get(VERIFICATION, id).then();
    }

    /** The first admin of an org, with the bootstrap token as the identity. */
    public ValidatableResponse bootstrap(String body) {
        return json(body).post(BOOTSTRAP).then();
    }
}
