package io.keyledger.api;

import io.keyledger.serviceaccount.Privilege;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Puts the domain's one list of privileges into the document, so it is never written out twice:
 * the privilege of both account request bodies is an enum of {@link Privilege#wireNames()}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiRules implements OASFilter {

    static final List<String> WITH_PRIVILEGE = List.of("ServiceAccountPostInput", "ServiceAccountPatchInput");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // the ledger's public key needs no authentication
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
                if (LedgerPublicKeyResource.OPERATION.equals(operation.getOperationId())
                        || LedgerPublicKeysResource.OPERATION.equals(operation.getOperationId())) {
                    operation.setSecurity(new ArrayList<>());
                }
            }));
        }
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
}
