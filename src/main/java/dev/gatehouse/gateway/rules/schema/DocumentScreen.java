package dev.gatehouse.gateway.rules.schema;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ErrorCodes;
import dev.gatehouse.gateway.rules.schema.AzureSchema.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a request body against {@link AzureSchema} before it is bound to the model, as ARM reads what a client
 * sends: read-only properties are removed (so a GET can be edited and PUT back), names are respelt as the
 * schema spells them, and every property that is not served or exists in no version of the schema is
 * reported at once, with its JSON path: one 400 {@code FeatureNotServed} or {@code UnknownProperty} (the
 * closest known name included), nothing stored. Not thread-safe: one instance screens one body.
 */
public final class DocumentScreen {

    private final AzureSchema schema = AzureSchema.get();
    private final List<ApiError> notServed = new ArrayList<>();
    private final List<ApiError> unknown = new ArrayList<>();

    private DocumentScreen() {}

    /**
     * Screens a whole gateway document ({@code root} empty) or a child resource ({@code root} its collection's
     * element path, for example {@code properties.listeners[]}), changing {@code body} in place.
     *
     * @throws ArmException 400 listing every element that is not served, or every unknown property
     */
    public static void screen(ObjectNode body, String root) {
        DocumentScreen screen = new DocumentScreen();
        screen.walk(body, root, "");
        screen.refuse();
    }

    private void walk(ObjectNode node, String schemaPath, String jsonPath) {
        for (String name : new ArrayList<>(node.propertyNames())) {
            JsonNode value = node.get(name);
            String target = jsonPath.isEmpty() ? name : jsonPath + "." + name;
            Optional<String> known = schema.child(schemaPath, name);
            if (known.isEmpty()) {
                unknown.add(unknownProperty(schemaPath, name, target));
                continue;
            }
            String path = schemaPath.isEmpty() ? known.get() : schemaPath + "." + known.get();
            Entry entry = schema.entry(path).orElseThrow();
            switch (entry.propertyClass()) {
                case READ_ONLY -> node.remove(name);
                case NOT_SERVED -> notServed.add(notServed(entry, target));
                case KEPT_IF_FALSE -> {
                    if (value.isBoolean() && value.booleanValue()) {
                        notServed.add(notServed(entry, target));
                    } else {
                        respell(node, name, known.get(), value);
                    }
                }
                default -> {
                    respell(node, name, known.get(), value);
                    descend(value, path, target);
                }
            }
        }
    }

    private void descend(JsonNode value, String path, String target) {
        if (value instanceof ObjectNode object && !schema.childNames(path).isEmpty()) {
            walk(object, path, target);
        } else if (value instanceof ArrayNode array
                && !schema.childNames(path + "[]").isEmpty()) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i) instanceof ObjectNode element) {
                    walk(element, path + "[]", target + "[" + i + "]");
                }
            }
        }
    }

    private static void respell(ObjectNode node, String name, String spelling, JsonNode value) {
        if (!name.equals(spelling) && !node.has(spelling)) {
            node.remove(name);
            node.set(spelling, value);
        }
    }

    private static ApiError notServed(Entry entry, String target) {
        return ApiError.of(
                ErrorCodes.FEATURE_NOT_SERVED,
                "'" + target + "' is not served: Gatehouse does not run " + entry.note()
                        + ". See docs/azure-compatibility.md.",
                target);
    }

    private ApiError unknownProperty(String schemaPath, String name, String target) {
        List<String> names = schema.childNames(schemaPath).stream().sorted().toList();
        String closest = names.stream()
                .min(Comparator.comparingInt(n -> distance(n.toLowerCase(), name.toLowerCase())))
                .map(n -> " Did you mean '" + n + "'?")
                .orElse("");
        return ApiError.of(
                ErrorCodes.UNKNOWN_PROPERTY,
                "The property '" + name + "' is not recognised." + closest
                        + (names.isEmpty() ? "" : " Known properties here: " + String.join(", ", names) + "."),
                target);
    }

    private void refuse() {
        if (notServed.isEmpty() && unknown.size() == 1) {
            throw new ArmException(HttpStatus.BAD_REQUEST, unknown.get(0));
        }
        if (!notServed.isEmpty() && unknown.isEmpty()) {
            throw ArmException.invalid(
                    ErrorCodes.FEATURE_NOT_SERVED,
                    "The document uses " + notServed.size()
                            + (notServed.size() == 1 ? " element" : " elements")
                            + " that Gatehouse does not serve; each is "
                            + "listed in details. Nothing was stored.",
                    notServed);
        }
        if (notServed.isEmpty() && !unknown.isEmpty()) {
            throw ArmException.invalid(
                    ErrorCodes.UNKNOWN_PROPERTY,
                    unknown.size() + " properties are not "
                            + "recognised; each is listed in details with the closest known name.",
                    unknown);
        }
        if (!notServed.isEmpty()) {
            List<ApiError> all = new ArrayList<>(notServed);
            all.addAll(unknown);
            throw ArmException.invalid(
                    ErrorCodes.INVALID_REQUEST_CONTENT,
                    notServed.size() + " elements are not " + "served and " + unknown.size()
                            + " properties are not recognised; each is listed in details.",
                    all);
        }
    }

    /** Levenshtein distance, for the closest known name. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
