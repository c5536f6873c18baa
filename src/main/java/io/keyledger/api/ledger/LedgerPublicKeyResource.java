package io.keyledger.api.ledger;

import io.keyledger.api.ApiException;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.LedgerSigner;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The public key that verifies the ledger's signed checkpoints: public, so an auditor needs no account. */
@Path("/api/v2/ledger/public-key")
@Tag(name = "Ledger")
@PermitAll
public class LedgerPublicKeyResource {

    @Inject
    LedgerSigner signer;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = OpenApiDefinition.LEDGER_PUBLIC_KEY, summary = "The key that verifies ledger checkpoints",
            description = "The Ed25519 public key (PEM, SubjectPublicKeyInfo) that signs the ledger's checkpoints. Anyone may read it.")
    @APIResponse(responseCode = "200", description = "PEM",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No signing key is configured")
    public String publicKey() {
        return signer.publicKeyPem().orElseThrow(() -> ApiException.notFound("No ledger signing key is configured"));
    }
}
