package io.keyledger.api.orgs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.api.RequestIds;
import io.keyledger.api.http.QueryParameters;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.CredentialReports;
import io.keyledger.auth.Callers;
import io.keyledger.format.UnixSeconds;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * Every active key of an org and when it was last used, as JSON or (with {@code Accept: text/csv})
 * CSV, streamed page by page (keyset pagination) so a large org is never built in memory and a slow
 * client holds no database connection; each org gets a few concurrent reports ({@link ReportSlots}).
 */
@Path("/api/v2/orgs/{org}/credential-report")
@Tag(name = "Service Accounts")
@Authenticated
public class CredentialReportResource {

    static final String CSV = "text/csv";
    /** The columns; the last three were added later, at the end, so a reader that takes columns by position still works. */
    static final String CSV_HEADER = "service_account,privilege,id,description,created_at,expires_at,last_used_at,exceeds_policy"
            + ",scopes,allowed_cidrs,disabled_at";
    static final String CSV_HEADER_LINE = java.util.Arrays.stream(CSV_HEADER.split(","))
            .map(CredentialReportResource::field).collect(java.util.stream.Collectors.joining(",")) + "\r\n";
    /** A cell starting with one of these is a formula to a spreadsheet. */
    static final String FORMULA_START = "=+-@\t\r";
    /** What a spreadsheet may split a cell at: the comma, a locale's semicolon, tab and line ends. */
    static final String SEPARATORS = ",;\t\r\n";

    static final int MAX_UNUSED_DAYS = 36_500;

    @Schema(name = "CredentialReportItem", requiredProperties = {"service_account", "privilege", "id", "description",
            "created_at", "expires_at", "last_used_at", "exceeds_policy"})
    public record CredentialReportItem(@JsonProperty("service_account") String serviceAccount, String privilege,
            String id, String description,

            @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt,

            @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER) long expiresAt,

            @JsonProperty("last_used_at") @Schema(type = SchemaType.NUMBER, nullable = true) BigDecimal lastUsedAt,

            @JsonProperty("exceeds_policy") @Schema(
                    description = "The key outlives the org's key policy (it was issued before the policy)") boolean exceedsPolicy,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.ARRAY, implementation = String.class,
                    description = "What the key may do; present only when it was issued with scopes") List<String> scopes,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("allowed_cidrs") @Schema(type = SchemaType.ARRAY,
                    implementation = String.class,
                    description = "The addresses the key may be used from; present only when it has an allow-list") List<String> allowedCidrs,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("disabled_at") @Schema(type = SchemaType.NUMBER,
                    description = "When the key was disabled (unix seconds); present only while it is disabled") BigDecimal disabledAt) {

        static CredentialReportItem of(CredentialReports.Line line) {
            return new CredentialReportItem(line.serviceAccount(), line.privilege(), line.id(), line.description(),
                    UnixSeconds.of(line.createdAt()), line.expiresAt(), UnixSeconds.of(line.lastUsedAt()),
                    line.exceedsPolicy(), line.scopes(), line.allowedCidrs(), UnixSeconds.of(line.disabledAt()));
        }
    }

    @Inject
    CredentialReports reports;

    @Inject
    Callers callers;

    @Inject
    ReportSlots slots;

    @Inject
    CurrentVertxRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "get_org_credential_report", summary = "Credential report of an org",
            description = "Every active key of the org with its account, privilege and last use (and its scopes, allowed_cidrs and disabled_at when it has them); unused_for_days keeps "
                    + "the keys unused that long (a never-used key counts from its creation). Accept: text/csv gives "
                    + "the same as CSV with a header row. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = CredentialReportItem.class)),
                    @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "Invalid unused_for_days")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public RestMulti<CredentialReportItem> json(@PathParam("org") String org, @Parameter(
            description = "Only keys unused for this many days or more") @QueryParam("unused_for_days") String unusedForDays) {
        int days = check(org, unusedForDays);
        return streamed(org, reports.report(org, days).map(CredentialReportItem::of), MediaType.APPLICATION_JSON);
    }

    @GET
    @Produces(CSV + ";qs=0.5") // only when asked for: */* gets JSON
    @Operation(hidden = true)
    public RestMulti<String> csv(@PathParam("org") String org, @QueryParam("unused_for_days") String unusedForDays) {
        int days = check(org, unusedForDays);
        Multi<String> lines = Multi.createBy().concatenating().streams(Multi.createFrom().item(CSV_HEADER_LINE),
                reports.report(org, days).map(CredentialReportResource::csvLine));
        // the media type without the quality factor that ranks it below JSON
        return streamed(org, lines, "text/csv; charset=UTF-8");
    }

    /**
     * The report under one of the org's report slots, released however the stream ends (done,
     * failed, or cancelled by a client that went away). Response filters do not run for a stream,
     * so its headers are set here: the request id, and no-store as on every other answer.
     */
    private <T> RestMulti<T> streamed(String org, Multi<T> report, String contentType) {
        slots.acquire(org);
        Multi<T> held = report.onTermination().invoke(() -> slots.release(org));
        return RestMulti.fromMultiData(held).header("Content-Type", contentType)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(RequestIds.HEADER, RequestIds.current(request.getCurrent())).build();
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
                field(line.description()), field(String.valueOf(UnixSeconds.of(line.createdAt()))),
                field(String.valueOf(line.expiresAt())),
                field(line.lastUsedAt() == null ? "" : String.valueOf(UnixSeconds.of(line.lastUsedAt()))),
                field(String.valueOf(line.exceedsPolicy())), field(spaced(line.scopes())),
                field(spaced(line.allowedCidrs())),
                field(line.disabledAt() == null ? "" : String.valueOf(UnixSeconds.of(line.disabledAt())))) + "\r\n";
    }

    /** A list in one cell, space-separated as the check endpoint's X-Keyledger-Scopes; empty when there is none. */
    private static String spaced(List<String> values) {
        return values == null ? "" : String.join(" ", values);
    }

    /**
     * Every cell quoted (RFC 4180), and a ' before anything a spreadsheet would run as a formula
     * (OWASP CSV injection): at the start of the cell and after every character it may split a cell
     * at, so a semicolon locale or an embedded tab does not turn the rest into a formula cell.
     */
    static String field(String value) {
        StringBuilder cell = new StringBuilder(value == null ? 2 : value.length() + 4).append('"');
        boolean cellStart = true;
        for (int i = 0; value != null && i < value.length(); i++) {
            char c = value.charAt(i);
            if (cellStart && FORMULA_START.indexOf(c) >= 0) {
                cell.append('\'');
            }
            cell.append(c == '"' ? "\"\"" : String.valueOf(c));
            cellStart = SEPARATORS.indexOf(c) >= 0;
        }
        return cell.append('"').toString();
    }
}
