package io.keyledger.api.ledger;

import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.LedgerSigner;
import io.keyledger.ledger.LedgerKeys;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ledger's keyring as a JWKS: the current signing key first, then earlier ones, so checkpoints
 * signed before a rotation still verify. Public, like {@link LedgerPublicKeyResource}.
 */
@Path("/api/v2/ledger/public-keys")
@Tag(name = "Ledger")
@PermitAll
public class LedgerPublicKeysResource {

    @Schema(name = "LedgerPublicKey", description = "An Ed25519 public key as an RFC 8037 JWK")
    public record Jwk(@Schema(description = "Always OKP") String kty,
            @Schema(description = "Always Ed25519") String crv,

            @Schema(description = "The raw public key, base64url") String x,

            @Schema(description = "The key id checkpoints name: the RFC 7638 thumbprint") String kid,

            @Schema(description = "Always sig") String use) {
    }

    @Schema(name = "LedgerPublicKeys", description = "A JWKS (RFC 7517)")
    public record Jwks(@Schema(description = "The current key first, then earlier ones") List<Jwk> keys) {
    }

    @Inject
    LedgerSigner signer;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = OpenApiDefinition.LEDGER_PUBLIC_KEYS, summary = "The keys that verify ledger checkpoints",
            description = "The current Ed25519 signing key and the earlier ones, as a JWKS; each checkpoint names its key by kid. Anyone may read it.")
    @APIResponse(responseCode = "200", description = "JWKS",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Jwks.class)))
    public Jwks publicKeys() {
        return new Jwks(signer.keysById().entrySet().stream()
                .map(e -> new Jwk("OKP", "Ed25519", LedgerKeys.x(e.getValue()), e.getKey(), "sig")).toList());
    }
}
