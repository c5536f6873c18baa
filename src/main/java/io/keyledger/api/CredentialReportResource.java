package io.keyledger.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.CredentialReports;
import io.keyledger.auth.Callers;
import io.keyledger.format.UnixSeconds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every active key of an org and when it was last used, as JSON or (with {@code Accept: text/csv})
 * CSV, streamed from a database cursor so a large org is never built in memory.
 */
@Path("/api/v2/orgs/{org}/credential-report")
@Tag(name = "Service Accounts")
@Authenticated
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.BASIC)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class CredentialReportResource {

    static final String CSV = "text/csv";
    static final String CSV_HEADER = "service_account,privilege,id,description,created_at,expires_at,last_used_at,exceeds_policy";
    static final int MAX_UNUSED_DAYS = 36_500;

    @Schema(name = "CredentialReportItem", requiredProperties = {"service_account", "privilege", "id", "description",
            "created_at", "expires_at", "last_used_at", "exceeds_policy"})
    public record CredentialReportItem(
            @JsonProperty("service_account") @Schema(name = "service_account") String serviceAccount,
            String privilege,
            String id,
            String description,
            @JsonProperty("created_at") @Schema(name = "created_at", type = SchemaType.NUMBER) BigDecimal createdAt,
            @JsonProperty("expires_at") @Schema(name = "expires_at", type = SchemaType.INTEGER) long expiresAt,
            @JsonProperty("last_used_at") @Schema(name = "last_used_at", type = SchemaType.NUMBER, nullable = true)
            BigDecimal lastUsedAt,
            @JsonProperty("exceeds_policy") @Schema(name = "exceeds_policy",
                    description = "The key outlives the org's key policy (it was issued before the policy)") boolean exceedsPolicy) {

        static CredentialReportItem of(CredentialReports.Line line) {
            return new CredentialReportItem(line.serviceAccount(), line.privilege(), line.id(), line.description(),
                    UnixSeconds.of(line.createdAt()), line.expiresAt(), UnixSeconds.of(line.lastUsedAt()), line.exceedsPolicy());
        }
    }

    @Inject
    CredentialReports reports;

    @Inject
    Callers callers;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "get_org_credential_report", summary = "Credential report of an org",
            description = "Every active key of the org with its account, privilege and last use; unused_for_days keeps "
                    + "the keys unused that long (a never-used key counts from its creation). Accept: text/csv gives "
                    + "the same as CSV with a header row. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CredentialReportItem.class)),
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "Invalid unused_for_days",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = "Forbidden",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorResponse.class)))
    public Multi<CredentialReportItem> json(@PathParam("org") String org,
                                           @Parameter(description = "Only keys unused for this many days or more")
                                           @QueryParam("unused_for_days") String unusedForDays) {
        int days = check(org, unusedForDays);
        return reports.report(org, days).map(CredentialReportItem::of);
    }

    @GET
    @Produces(CSV + ";qs=0.5") // only when asked for: */* gets JSON
    @Operation(hidden = true)
    public RestMulti<String> csv(@PathParam("org") String org,
                                                             @QueryParam("unused_for_days") String unusedForDays) {
        int days = check(org, unusedForDays);
        Multi<String> lines = Multi.createBy().concatenating().streams(Multi.createFrom().item(CSV_HEADER + "\r\n"),
                reports.report(org, days).map(CredentialReportResource::csvLine));
        // the media type without the quality factor that ranks it below JSON
        return RestMulti.fromMultiData(lines).header("Content-Type", "text/csv; charset=UTF-8")
                .build();
    }

    private int check(String org, String unusedForDays) {
        callers.requireRead(org);
        if (unusedForDays == null) {
            return 0;
        }
        if (!unusedForDays.matches("[0-9]{1,6}") || Integer.parseInt(unusedForDays) > MAX_UNUSED_DAYS) {
            throw new ApiException(400, new ErrorResponse(QueryParameters.INVALID,
                    Map.of("unused_for_days", "Must be an integer from 0 to " + MAX_UNUSED_DAYS)));
        }
        return Integer.parseInt(unusedForDays);
    }

    static String csvLine(CredentialReports.Line line) {
        return String.join(",", field(line.serviceAccount()), field(line.privilege()), field(line.id()),
                field(line.description()), String.valueOf(UnixSeconds.of(line.createdAt())), String.valueOf(line.expiresAt()),
                line.lastUsedAt() == null ? "" : String.valueOf(UnixSeconds.of(line.lastUsedAt())),
                String.valueOf(line.exceedsPolicy())) + "\r\n";
    }

    /** RFC 4180 quoting; a value a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection). */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
