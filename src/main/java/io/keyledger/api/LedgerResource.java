package io.keyledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.LedgerVerification;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tamper-evident log, for auditors (JWT group keyledger:auditor). */
@Path("/api/v2/ledger")
@Tag(name = "Ledger", description = "The tamper-evident event log")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.BASIC)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class LedgerResource {

    public static final String AUDITOR_ROLE = "keyledger:auditor";

    @Schema(name = "LedgerBreak", requiredProperties = {"position", "stream_id", "reason"})
    public record LedgerBreak(long position, @JsonProperty("stream_id") @Schema(name = "stream_id") String streamId,
                              String reason) {
    }

    @Schema(name = "LedgerVerifyResponse", requiredProperties = {"valid", "events_checked", "checkpoints_checked"})
    public record LedgerVerifyResponse(
            boolean valid,
            @JsonProperty("events_checked") @Schema(name = "events_checked") long eventsChecked,
            @JsonProperty("checkpoints_checked") @Schema(name = "checkpoints_checked",
                    description = "Signed checkpoints checked: each one's signature, and its Merkle root against the log") long checkpointsChecked,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("first_break") @Schema(name = "first_break",
                    nullable = true) LedgerBreak firstBreak) {
    }

    @Inject
    LedgerVerification verification;

    @GET
    @Path("/verify")
    @RolesAllowed(AUDITOR_ROLE)
    @Operation(operationId = "verify_ledger", summary = "Verify the tamper-evident log",
            description = "Walks the whole log and checks every event's hash and its link to the previous one, and every "
                    + "signed checkpoint; answers the first break (lowest position), if any. Needs JWT group keyledger:auditor.")
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(schema = @Schema(implementation = LedgerVerifyResponse.class)))
    @APIResponse(responseCode = "403", description = "Forbidden", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<LedgerVerifyResponse> verify() {
        return verification.verify().map(result -> new LedgerVerifyResponse(result.valid(), result.eventsChecked(),
                result.checkpointsChecked(),
                result.firstBreak().map(b -> new LedgerBreak(b.position(), b.streamId(), b.reason())).orElse(null)));
    }
}
