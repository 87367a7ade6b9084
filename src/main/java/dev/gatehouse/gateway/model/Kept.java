package dev.gatehouse.gateway.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The properties of Azure's schema that a record keeps without a local meaning ({@code identity}, {@code zones},
 * a frontend's {@code subnet}...), by name, in a stable order so that equal documents hash to equal etags.
 * Only names that the schema classes as kept reach a record: the document is screened before it is bound.
 */
final class Kept {

    private Kept() {}

    static Map<String, JsonNode> of(Map<String, JsonNode> kept) {
        return kept == null || kept.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(kept));
    }
}
