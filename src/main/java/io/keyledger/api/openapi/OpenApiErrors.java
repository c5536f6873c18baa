package io.keyledger.api.openapi;

import io.keyledger.api.ErrorMessages;
import io.keyledger.api.ErrorResponse;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The error responses operations share, written here once. An operation names the statuses it answers, with a
 * description only where its case is its own ({@code @APIResponse(responseCode = "404", description = "API key not
 * found")}); this adds the rest:
 * <ul>
 * <li>every error response written in place gets the one error body, {@link ErrorResponse}, as JSON;</li>
 * <li>one without a description gets its status's usual one ({@link #USUAL});</li>
 * <li>every operation that takes a body answers 415 for one that is not JSON (the shared {@code UnsupportedMediaType}).</li>
 * </ul>
 * The shared responses of {@link OpenApiDefinition} are referred to, not copied, and keep their own bodies (they are
 * what puts {@code ErrorResponse} among the schemas).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD, priority = OpenApiErrors.PRIORITY)
public class OpenApiErrors implements OASFilter {

    /** After {@link OpenApiRules}, before {@link OpenApiOrder}. */
    static final int PRIORITY = 20;

    /** The description of an error status when the operation gives none. */
    static final Map<String, String> USUAL = Map.of("400", "Invalid body", "403", "Forbidden", "409",
            ErrorMessages.CONCURRENT_CHANGE);

    static final String ERROR_SCHEMA = "#/components/schemas/ErrorResponse";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
                return;
            }
            operation.getResponses().getAPIResponses()
                    .forEach((status, response) -> complete(operation, status, response));
            if (operation.getRequestBody() != null && !operation.getResponses().hasAPIResponse("415")) {
                operation.getResponses().addAPIResponse("415", OASFactory.createAPIResponse()
                        .ref(OpenApiDefinition.REFERENCE + OpenApiDefinition.UNSUPPORTED_MEDIA_TYPE)); // ordered by OpenApiOrder
            }
        }));
    }

    private static void complete(Operation operation, String status, APIResponse response) {
        if (response.getRef() != null || !(status.startsWith("4") || status.startsWith("5"))) {
            return;
        }
        if (response.getDescription() == null || response.getDescription().isBlank()) {
            if (!USUAL.containsKey(status)) {
                throw new IllegalStateException(
                        operation.getOperationId() + " answers " + status + " without saying when");
            }
            response.setDescription(USUAL.get(status));
        }
        if (response.getContent() == null) {
            response.setContent(OASFactory.createContent().addMediaType("application/json",
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_SCHEMA))));
        }
    }
}
