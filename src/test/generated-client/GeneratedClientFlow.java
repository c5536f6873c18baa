package io.keyledger.clientflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.client.ApiClient;
import io.keyledger.client.ApiException;
import io.keyledger.client.api.ApiKeysApi;
import io.keyledger.client.api.ServiceAccountsApi;
import io.keyledger.client.model.ApiKeyCreatedResponse;
import io.keyledger.client.model.ApiKeyListItemResponse;
import io.keyledger.client.model.ApiKeyPostInput;
import io.keyledger.client.model.ApiKeyRevokedResponse;
import io.keyledger.client.model.ApiKeyRotateInput;
import io.keyledger.client.model.ApiKeyRotatedResponse;
import io.keyledger.client.model.ApiKeyVerifyInput;
import io.keyledger.client.model.ApiKeyVerifyResponse;
import io.keyledger.client.model.ServiceAccountDeletedResponse;
import io.keyledger.client.model.ServiceAccountPatchInput;
import io.keyledger.client.model.ServiceAccountPostInput;
import io.keyledger.client.model.ServiceAccountResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drives the real service through a client that openapi-generator made from the served document.
 * Not compiled by Maven: GeneratedClientTest compiles it together with the freshly generated client
 * (so a change of an operation's signature in the document fails here, at compile time) and runs it.
 *
 * <p>Input: baseUri, adminToken, verifierToken, org, name, requestIdPrefix. Each write sends
 * {@code X-Request-Id: <requestIdPrefix>-<operation>}; the test then checks the events' metadata.
 */
public class GeneratedClientFlow implements Consumer<Map<String, String>> {

    @Override
    public void accept(Map<String, String> in) {
        try {
            run(in);
        } catch (ApiException e) {
            throw new AssertionError("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }

    private static ApiClient client(String baseUri, String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        return client;
    }

    private static void run(Map<String, String> in) throws ApiException {
        String org = in.get("org");
        String name = in.get("name");
        String prefix = in.get("requestIdPrefix");
        ServiceAccountsApi api = new ServiceAccountsApi(client(in.get("baseUri"), in.get("adminToken")));

        ServiceAccountResponse account = api.createServiceAccount(org, new ServiceAccountPostInput().name(name)
                .description("generated client").privilege(ServiceAccountPostInput.PrivilegeEnum.MEMBER),
                requestId(prefix, "create-account"));
        assertEquals(name, account.getName());
        assertEquals("member", account.getPrivilege());

        ApiKeyCreatedResponse created = api.createServiceAccountApiKeyServiceAccountsOrgNameApiKeysPost(name, org,
                new ApiKeyPostInput().description("deploys").expiresAt(0L), requestId(prefix, "create-key"));
        assertTrue(created.getKey().startsWith("kl_"), created.getKey());
        assertEquals(0L, created.getExpiresAt());

        // the seed's argument order: name, key_id, org
        ApiKeyListItemResponse got = api.getServiceAccountApiKey(name, created.getId(), org);
        assertEquals(created.getId(), got.getId());
        assertEquals("deploys", got.getDescription());
        assertEquals(0L, got.getExpiresAt());
        assertEquals(0, created.getCreatedAt().compareTo(got.getCreatedAt()));

        List<ApiKeyListItemResponse> listed = api.listServiceAccountApiKeys(name, org, null);
        assertEquals(List.of(created.getId()), listed.stream().map(ApiKeyListItemResponse::getId).toList());

        ApiKeyRotatedResponse rotated = api.rotateServiceAccountApiKey(name, created.getId(), org,
                new ApiKeyRotateInput().gracePeriodHours(1), requestId(prefix, "rotate"));
        assertEquals(created.getId(), rotated.getReplaces());
        assertEquals("deploys", rotated.getDescription());
        assertTrue(rotated.getKey().startsWith("kl_"));

        // an API key is a bearer token too: the member account's key may read its own keys
        ServiceAccountsApi asKey = new ServiceAccountsApi(client(in.get("baseUri"), rotated.getKey()));
        assertEquals(rotated.getId(), asKey.getServiceAccountApiKey(name, rotated.getId(), org).getId());

        ApiKeysApi verifier = new ApiKeysApi(client(in.get("baseUri"), in.get("verifierToken")));
        ApiKeyVerifyResponse verdict = verifier.verifyApiKey(new ApiKeyVerifyInput().key(rotated.getKey()));
        assertTrue(verdict.getValid());
        assertEquals(rotated.getId(), verdict.getKeyId());
        assertEquals(org, verdict.getOrg());

        ApiKeyRevokedResponse revoked = api.revokeServiceAccountApiKey(name, rotated.getId(), org,
                requestId(prefix, "revoke"));
        assertEquals(rotated.getId(), revoked.getId());
        ApiException gone = assertThrows(ApiException.class,
                () -> api.getServiceAccountApiKey(name, rotated.getId(), org));
        assertEquals(404, gone.getCode());
        assertTrue(gone.getResponseBody().contains("API key not found"), gone.getResponseBody());
        ApiKeyVerifyResponse afterRevoke = verifier.verifyApiKey(new ApiKeyVerifyInput().key(rotated.getKey()));
        assertFalse(afterRevoke.getValid());
        assertEquals(ApiKeyVerifyResponse.CodeEnum.REVOKED, afterRevoke.getCode());

        ServiceAccountResponse updated = api.updateServiceAccount(name, org,
                new ServiceAccountPatchInput().description("renamed"), requestId(prefix, "update"));
        assertEquals("renamed", updated.getDescription());
        assertEquals("renamed", api.getServiceAccount(name, org).getDescription());
        assertTrue(api.listServiceAccounts(org).stream().anyMatch(a -> a.getName().equals(name)));

        // the replaced key still works in its grace period, so deleting the account revokes it
        ServiceAccountDeletedResponse deleted = api.deleteServiceAccount(name, org, requestId(prefix, "delete"));
        assertEquals(name, deleted.getName());
        assertEquals(1, deleted.getRevokedKeys());
        ApiException noAccount = assertThrows(ApiException.class, () -> api.getServiceAccount(name, org));
        assertEquals(404, noAccount.getCode());
    }

    private static Map<String, String> requestId(String prefix, String operation) {
        return Map.of("X-Request-Id", prefix + "-" + operation);
    }
}
