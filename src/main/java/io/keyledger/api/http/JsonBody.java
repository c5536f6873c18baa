package io.keyledger.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.config.KeyledgerConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a raw request body into a JSON object, or a 400 with the reason under {@code errors.body}.
 * Parsing by hand (rather than binding to a class) is what lets every bad body, including
 * malformed JSON and wrong types, get the seeds' error shape with errors keyed by field.
 */
public final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    static final String UNKNOWN_FIELD = "unknown field";

    private JsonBody() {
    }

    public static com.fasterxml.jackson.databind.node.ArrayNode parseArray(String body, int maxBytes) {
        if (!(parse(body, maxBytes) instanceof com.fasterxml.jackson.databind.node.ArrayNode array)) {
            throw bodyError("Must be a JSON array");
        }
        return array;
    }

    public static ObjectNode parseObject(String body, int maxBytes) {
        if (!(parse(body, maxBytes) instanceof ObjectNode object)) {
            throw bodyError("Must be a JSON object");
        }
        return object;
    }

    /** {@link #parseObject(String, int)}, then a 400 naming every field outside {@code known}, unless told to ignore them. */
    public static ObjectNode parseObject(String body, int maxBytes, KeyledgerConfig.Api.UnknownFields policy,
            String... known) {
        ObjectNode object = parseObject(body, maxBytes);
        rejectUnknown(object, policy, "", known);
        return object;
    }

    /** Fields of {@code object} not in {@code known} are a 400 ({@code errors} keyed {@code prefix + field}) under REJECT. */
    public static void rejectUnknown(ObjectNode object, KeyledgerConfig.Api.UnknownFields policy, String prefix,
            String... known) {
        if (policy == KeyledgerConfig.Api.UnknownFields.IGNORE) {
            return;
        }
        List<String> allowed = List.of(known);
        Map<String, String> errors = new LinkedHashMap<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                errors.put(prefix + name, UNKNOWN_FIELD);
            }
        });
        if (!errors.isEmpty()) {
            String message = (errors.size() == 1 ? "Unknown field: " : "Unknown fields: ")
                    + String.join(", ", errors.keySet());
            throw new ApiException(400, new ErrorResponse(message, Map.copyOf(errors)));
        }
    }

    private static JsonNode parse(String body, int maxBytes) {
        if (body == null || body.isBlank()) {
            throw bodyError("Request body is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw bodyError("Request body is larger than " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw bodyError("Malformed JSON");
        }
        return node;
    }

    private static ApiException bodyError(String reason) {
        return ApiException.invalid(Map.of("body", reason));
    }
}
