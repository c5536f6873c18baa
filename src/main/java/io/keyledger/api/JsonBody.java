package io.keyledger.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a raw request body into a JSON object, or a 400 with the reason under {@code errors.body}.
 * Parsing by hand (rather than binding to a class) is what lets every bad body, including
 * malformed JSON and wrong types, get the seeds' error shape with errors keyed by field.
 */
final class JsonBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private JsonBody() {
    }

    static com.fasterxml.jackson.databind.node.ArrayNode parseArray(String body, int maxBytes) {
        if (!(parse(body, maxBytes) instanceof com.fasterxml.jackson.databind.node.ArrayNode array)) {
            throw bodyError("Must be a JSON array");
        }
        return array;
    }

    static ObjectNode parseObject(String body, int maxBytes) {
        if (!(parse(body, maxBytes) instanceof ObjectNode object)) {
            throw bodyError("Must be a JSON object");
        }
        return object;
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
