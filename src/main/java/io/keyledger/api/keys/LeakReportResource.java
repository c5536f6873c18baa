package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.keyledger.api.ApiException;
import io.keyledger.api.RequestIds;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.JsonBody;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.application.LeakReports;
import io.keyledger.auth.Caller;
import io.keyledger.store.EventMetadata;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Leaked-key reports from secret scanners, in GitHub's secret-scanning partner format: each
 * token is labelled, and an active key among them is revoked (or disabled, as its org's policy says) in the same
 * request.
 */
@Path("/api/v2/api-keys/leaked")
@Authenticated
@Tag(name = "API Keys")
@Produces(MediaType.APPLICATION_JSON)
public class LeakReportResource extends ResourceSupport {

    public static final String SCANNER_ROLE = "keyledger:scanner";
    static final String TOKEN_TYPE = "keyledger_api_key";
    static final int MAX_ITEMS = 1000;
    static final int MAX_BODY_BYTES = 1_000_000;
    static final int MAX_URL = 2048;
    static final int MAX_SOURCE = 64;

    @Schema(name = "LeakedTokenReport", requiredProperties = {"token", "type"},
            additionalProperties = Schema.False.class)
    public record LeakedTokenReport(String token, String type, String url, String source) {
    }

    @Schema(name = "LeakedTokenVerdict", requiredProperties = {"token_hash", "token_type", "label"})
    public record LeakedTokenVerdict(
            @JsonProperty("token_hash") @Schema(description = "SHA-256 of the token, lower-case hex") String tokenHash,

            @JsonProperty("token_type") String tokenType,

            @Schema(enumeration = {
                    "true_positive", "false_positive"}) String label) {
    }

    @Inject
    LeakReports reports;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "report_leaked_api_keys", summary = "Report leaked API keys",
            description = "For secret scanners (JWT group keyledger:scanner), in GitHub's partner format: 1 to 1000 "
                    + "tokens. A real keyledger key, active or once issued, is a true_positive; an active one is "
                    + "revoked at once, or disabled when its org's key policy says on_leak: disable. Repeating a report changes nothing more.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = LeakedTokenReport.class)))
    @APIResponse(responseCode = "200", description = "A verdict per token, in the order given",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = LeakedTokenVerdict.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    public Uni<List<LeakedTokenVerdict>> report(String body) {
        Caller caller = callers.requireRole(SCANNER_ROLE);
        ArrayNode items = JsonBody.parseArray(body, MAX_BODY_BYTES);
        List<LeakReports.Report> parsed = parse(items, config.api().unknownFields());
        EventMetadata metadata = RequestIds.metadata(caller, request.getCurrent());
        return reports.report(parsed, metadata)
                .map(verdicts -> verdicts.stream().map(v -> new LeakedTokenVerdict(sha256(v.token()), TOKEN_TYPE,
                        v.truePositive() ? "true_positive" : "false_positive")).toList());
    }

    /** Every bad item is reported at once, keyed {@code [i].field}. */
    static List<LeakReports.Report> parse(ArrayNode items,
            io.keyledger.config.KeyledgerConfig.Api.UnknownFields unknownFields) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            errors.put("body", "Must hold 1 to " + MAX_ITEMS + " reports");
            throw ApiException.invalid(errors);
        }
        List<LeakReports.Report> reports = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "[" + i + "].";
            if (!(item instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
                errors.put("[" + i + "]", "Must be a JSON object");
                continue;
            }
            JsonBody.rejectUnknown(object, unknownFields, at, "token", "type", "url", "source");
            String token = Fields.requiredText(object, "token", errorsFor(errors, at));
            String url = limited(object, "url", MAX_URL, at, errors);
            String source = limited(object, "source", MAX_SOURCE, at, errors);
            JsonNode type = object.get("type");
            if (type != null && !type.isNull() && !type.isTextual()) {
                errors.put(at + "type", "Must be a string");
            }
            reports.add(new LeakReports.Report(token, url, source));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return reports;
    }

    private static String limited(com.fasterxml.jackson.databind.node.ObjectNode object, String field, int max,
            String at, Map<String, String> errors) {
        String value = Fields.optionalText(object, field, errorsFor(errors, at));
        if (value != null && value.codePointCount(0, value.length()) > max) {
            errors.put(at + field, "Must be at most " + max + " characters");
            return null;
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** A view of {@code errors} that prefixes each field with the item's index. */
    private static Map<String, String> errorsFor(Map<String, String> errors, String prefix) {
        return new java.util.AbstractMap<>() {
            @Override
            public String put(String key, String value) {
                return errors.put(prefix + key, value);
            }

            @Override
            public java.util.Set<Entry<String, String>> entrySet() {
                return java.util.Set.of();
            }
        };
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
