package io.keyledger.api.http;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path segments that PostgreSQL could not store or compare exactly (a NUL, an unpaired
 * surrogate) are a 400 naming the parameter, before anything else looks at them.
 */
public class PathParameters {

    static final String INVALID_PATH = "Invalid path parameter";

    @ServerRequestFilter
    public void rejectUnstorable(UriInfo uri) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : uri.getPathParameters(true).entrySet()) {
            for (String value : parameter.getValue()) {
                String problem = Fields.unstorable(value);
                if (problem != null) {
                    errors.put(parameter.getKey(), problem);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, new ErrorResponse(INVALID_PATH, Map.copyOf(errors)));
        }
    }
}
