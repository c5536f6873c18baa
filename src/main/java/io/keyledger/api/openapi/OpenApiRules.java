package io.keyledger.api.openapi;

import io.keyledger.api.GatewayCheckRoute;
import io.keyledger.serviceaccount.Privilege;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * What the document says once for all operations, or takes from elsewhere so it is never written out twice: each
 * operation's security and its 401 and 503 ({@link #security}); the gateway check, which no annotation describes; and
 * the domain's one list of privileges, as the enum of both account request bodies' privilege
 * ({@link Privilege#wireNames()}).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD, priority = OpenApiRules.PRIORITY)
public class OpenApiRules implements OASFilter {

    /** First of the document's filters (the higher runs first): what it adds, {@link OpenApiErrors} and {@link OpenApiOrder} see. */
    static final int PRIORITY = 30;

    static final List<String> WITH_PRIVILEGE = List.of("ServiceAccountPostInput", "ServiceAccountPatchInput");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        addGatewayCheck(openAPI);
        openAPI.getPaths().getPathItems().values()
                .forEach(item -> item.getOperations().values().forEach(OpenApiRules::security));
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        for (String name : WITH_PRIVILEGE) {
            Schema schema = openAPI.getComponents().getSchemas().get(name);
            if (schema != null && schema.getProperties() != null && schema.getProperties().get("privilege") != null) {
                schema.getProperties().get("privilege").setEnumeration(new ArrayList<>(Privilege.wireNames()));
            }
        }
    }

    /**
     * Security, said once for the resources: the ledger's public keys need none; the gateway checks take the key
     * however it is presented (the document's own requirement); an operation that names its own (verify, bootstrap)
     * keeps it; every other one needs a bearer token or Basic, and answers the shared 401 and 503.
     */
    private static void security(Operation operation) {
        String id = operation.getOperationId();
        if (OpenApiDefinition.LEDGER_PUBLIC_KEY.equals(id) || OpenApiDefinition.LEDGER_PUBLIC_KEYS.equals(id)) {
            operation.setSecurity(new ArrayList<>());
        } else if (operation.getSecurity() == null && !CHECK.equals(id) && !CHECK_PATH.equals(id)) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(OpenApiDefinition.BEARER))
                    .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(OpenApiDefinition.BASIC));
            operation.getResponses() // put in order by OpenApiOrder
                    .addAPIResponse("401", shared(OpenApiDefinition.UNAUTHORIZED))
                    .addAPIResponse("503", shared(OpenApiDefinition.UNAVAILABLE));
        }
    }

    private static APIResponse shared(String response) {
        return OASFactory.createAPIResponse().ref(OpenApiDefinition.REFERENCE + response);
    }

    static final String CHECK = "check_api_key";
    static final String CHECK_PATH = "check_api_key_path";

    /**
     * The gateway check is a Vert.x route (it answers any method), so no annotation describes it: its two paths are
     * added here, as GET (what nginx, Traefik and Caddy send; Envoy sends the client's method, answered the same).
     */
    private static void addGatewayCheck(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            openAPI.setPaths(OASFactory.createPaths());
        }
        openAPI.getPaths().addPathItem(GatewayCheckRoute.PATH,
                OASFactory.createPathItem().GET(checkOperation(CHECK, false)));
        openAPI.getPaths().addPathItem(GatewayCheckRoute.PATH + "/{path}",
                OASFactory.createPathItem().GET(checkOperation(CHECK_PATH, true)));
    }

    private static Operation checkOperation(String id, boolean withPath) {
        APIResponse allowed = OASFactory.createAPIResponse()
                .description("The key is valid: an empty body, and the key's identity in headers for the upstream")
                .addHeader(GatewayCheckRoute.KEY_ID, identityHeader("The key's id"))
                .addHeader(GatewayCheckRoute.ORG, identityHeader("The org of the key's service account"))
                .addHeader(GatewayCheckRoute.SERVICE_ACCOUNT, identityHeader("The name of the key's service account"))
                .addHeader(GatewayCheckRoute.PRIVILEGE, identityHeader("The service account's privilege"));
        Operation operation = OASFactory.createOperation().operationId(id).addTag("API Keys").summary(
                withPath ? "Check an API key for a gateway (Envoy path prefix)" : "Check an API key for a gateway")
                .description(
                        "For gateways (nginx auth_request, Envoy ext_authz, Traefik forwardAuth, Caddy forward_auth): "
                                + "any method, any path below /api/v2/authz, no JWT. The key comes from Authorization (Bearer, or "
                                + "Basic with the key as the user name) or X-API-Key (keyledger.authz.key-header). A valid key gets "
                                + "200 with its identity in X-Keyledger-* headers and is recorded as used; otherwise 401 with the "
                                + "verify endpoint's code in errors.code (MISSING when no key was sent). Cache-Control: no-store "
                                + "unless keyledger.authz.cache-max-age is set. See docs/gateways.md.")
                .responses(OASFactory.createAPIResponses().addAPIResponse("200", allowed)
                        .addAPIResponse("401", shared(OpenApiDefinition.UNAUTHORIZED))
                        .addAPIResponse("429", shared(OpenApiDefinition.TOO_MANY_REQUESTS))
                        .addAPIResponse("503", shared(OpenApiDefinition.UNAVAILABLE)));
        operation.addParameter(OASFactory.createParameter().name("X-API-Key").in(Parameter.In.HEADER).required(false)
                .description(
                        "The key, when not sent in Authorization (the header's name is keyledger.authz.key-header)")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        if (withPath) {
            operation.addParameter(OASFactory.createParameter().name("path").in(Parameter.In.PATH).required(true)
                    .description("The client's request path, appended by Envoy's path_prefix; ignored by the check")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
        return operation;
    }

    private static Header identityHeader(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }
}
