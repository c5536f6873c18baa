package io.keyledger.api.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Puts the served document in a stable order that matches the Kosli seeds.
 * <ul>
 * <li>Parameters: path parameters as they appear in the path, except {@code org}, which comes last
 * ({@code name, org}; {@code name, key_id, org}), then any others as the scanner listed them.
 * SmallRye sorts them by name; generated clients take their arguments in this order, so
 * {@code getServiceAccountApiKey(name, keyId, org)} matches code written against the seed.</li>
 * <li>Responses: by status code (class-level responses, and those {@link OpenApiErrors} adds, would otherwise come first
 * or last).</li>
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD, priority = OpenApiOrder.PRIORITY)
public class OpenApiOrder implements OASFilter {

    /** Last of the document's filters, so the operations the others add are in order too. */
    static final int PRIORITY = 10;

    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)}");
    private static final String LAST = "org";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            List<String> order = parameterOrder(path);
            item.getOperations().values().forEach(operation -> {
                orderParameters(operation, order);
                orderResponses(operation);
            });
        });
    }

    /** The seeds' order of a path's template parameters. */
    static List<String> parameterOrder(String path) {
        List<String> names = new ArrayList<>();
        Matcher matcher = TEMPLATE.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        if (names.remove(LAST)) {
            names.add(LAST);
        }
        return names;
    }

    private static void orderParameters(Operation operation, List<String> order) {
        List<Parameter> parameters = operation.getParameters();
        if (parameters == null || parameters.size() < 2) {
            return;
        }
        List<Parameter> sorted = new ArrayList<>(parameters);
        sorted.sort(Comparator.comparingInt(p -> rank(p, order))); // stable: others keep their order
        operation.setParameters(sorted);
    }

    private static int rank(Parameter parameter, List<String> order) {
        int index = parameter.getIn() == Parameter.In.PATH ? order.indexOf(parameter.getName()) : -1;
        return index < 0 ? order.size() : index;
    }

    private static void orderResponses(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        Map<String, APIResponse> sorted = new TreeMap<>(operation.getResponses().getAPIResponses());
        operation.getResponses().setAPIResponses(sorted);
    }
}
