package io.keyledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one error shape, as the Kosli seeds define it: {@code {message, errors?}}. */
@Schema(name = "ErrorResponse", description = "An error, with validation errors by field where there are any")
public record ErrorResponse(@Schema(required = true, description = "Error message") String message,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Validation errors by field",
                nullable = true) Map<String, String> errors) {

    public static ErrorResponse of(String message) {
        return new ErrorResponse(message, null);
    }
}
