package dev.gatehouse.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The child resource types a user names ({@code listener} or {@code listeners}) and their ARM collections. */
final class ChildTypes {

    static final List<String> COLLECTIONS = List.of(
            "frontendIPConfigurations",
            "frontendPorts",
            "listeners",
            "backendAddressPools",
            "backendSettingsCollection",
            "probes",
            "routingRules",
            "sslCertificates",
            "trustedRootCertificates");
    private static final Map<String, String> BY_NAME = new LinkedHashMap<>();
    private static final List<String> SINGULARS =
            COLLECTIONS.stream().map(ChildTypes::singular).toList();

    static {
        for (String collection : COLLECTIONS) {
            BY_NAME.put(collection.toLowerCase(Locale.ROOT), collection);
            BY_NAME.put(singular(collection).toLowerCase(Locale.ROOT), collection);
        }
    }

    private ChildTypes() {}

    /** The collection {@code type} names (any case, singular or plural); exit 2 naming {@code type} otherwise. */
    static String collection(String type) {
        String collection = BY_NAME.get(type.toLowerCase(Locale.ROOT));
        if (collection == null) {
            throw new UsageException("unexpected argument '" + type + "': a child type is one of " + names());
        }
        return collection;
    }

    /** The singular names, for errors. */
    static String names() {
        return String.join(", ", SINGULARS);
    }

    private static String singular(String collection) {
        return collection.endsWith("Collection")
                ? collection.substring(0, collection.length() - "Collection".length())
                : collection.substring(0, collection.length() - 1);
    }
}
