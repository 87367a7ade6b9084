package dev.gatehouse.gateway.rules.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every property path of Azure's {@code Microsoft.Network/applicationGateways} and what Gatehouse does with it.
 * The paths and their read-only flags come from {@code azure/application-gateway-schema.json}, generated from
 * Microsoft's SDK by {@code tools/azure-schema.js}; the classes come from the hand-written
 * {@code azure/application-gateway-classes.tsv}, where a path covers everything below it unless a longer one
 * says otherwise. Paths name array elements with {@code []}: {@code properties.listeners[].properties.protocol}.
 * Immutable and thread-safe; loading fails when the classes name a path that exists nowhere.
 */
public final class AzureSchema {

    /** What Gatehouse does with a property. */
    public enum PropertyClass {
        /** Has its effect. */
        SERVED("served"),
        /** Accepted, stored and returned, with no local meaning. */
        KEPT("kept"),
        /** Kept while false or absent; {@code true} asks for a feature that is not served. */
        KEPT_IF_FALSE("keptIfFalse"),
        /** Refused with FeatureNotServed. */
        NOT_SERVED("notServed"),
        /** Not in Azure's schema: Gatehouse's own. */
        EXTENSION("extension"),
        /** Computed: ignored on input, as ARM does. */
        READ_ONLY("readOnly");

        private final String token;

        PropertyClass(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        static PropertyClass of(String token) {
            for (PropertyClass c : values()) {
                if (c.token.equals(token)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown property class '" + token + "'");
        }
    }

    /**
     * One property: its path, class, what it means here (for a class inherited from a parent, the parent's
     * note), whether Azure's schema has it, and the path of the rule that decided its class.
     */
    public record Entry(String path, PropertyClass propertyClass, String note, boolean azure, String decidedBy) {}

    private static final AzureSchema INSTANCE = load();

    private final String source;
    private final String apiVersion;
    private final Map<String, Entry> entries;
    /** Parent path to its children: lower-cased name to the name as spelt in the schema. */
    private final Map<String, Map<String, String>> children;

    private AzureSchema(String source, String apiVersion, Map<String, Entry> entries) {
        this.source = source;
        this.apiVersion = apiVersion;
        this.entries = entries;
        Map<String, Map<String, String>> byParent = new TreeMap<>();
        for (String path : entries.keySet()) {
            int dot = path.lastIndexOf('.');
            String parent = dot < 0 ? "" : path.substring(0, dot);
            String name = path.substring(dot + 1);
            byParent.computeIfAbsent(parent, p -> new TreeMap<>()).put(name.toLowerCase(Locale.ROOT), name);
        }
        this.children = byParent;
    }

    public static AzureSchema get() {
        return INSTANCE;
    }

    /** Where the paths came from, for example {@code @azure/arm-network 39.0.0}. */
    public String source() {
        return source;
    }

    /** The api-version of the specification the paths were generated from. */
    public String apiVersion() {
        return apiVersion;
    }

    /** Every known property, sorted by path. */
    public Collection<Entry> entries() {
        return entries.values();
    }

    public Optional<Entry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /**
     * The child of {@code parent} called {@code name}, matched case-insensitively as ARM does, as spelt in the
     * schema.
     */
    public Optional<String> child(String parent, String name) {
        return Optional.ofNullable(children.getOrDefault(parent, Map.of()).get(name.toLowerCase(Locale.ROOT)));
    }

    /** The known children of a path, as spelt in the schema; empty for a leaf or a free-form map. */
    public Collection<String> childNames(String parent) {
        return children.getOrDefault(parent, Map.of()).values();
    }

    private static AzureSchema load() {
        JsonNode schema = JsonMapper.builder().build().readTree(resource("azure/application-gateway-schema.json"));
        Map<String, Boolean> readOnly = new TreeMap<>();
        schema.path("properties")
                .properties()
                .forEach(p ->
                        readOnly.put(p.getKey(), "readOnly".equals(p.getValue().asString())));
        Map<String, String[]> rules = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(resource("azure/application-gateway-classes.tsv"), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] cells = line.split("\t", -1);
                    rules.put(cells[0], new String[] {cells[1], cells.length > 2 ? cells[2] : ""});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> paths = new ArrayList<>(readOnly.keySet());
        for (var rule : rules.entrySet()) {
            boolean extension = PropertyClass.of(rule.getValue()[0]) == PropertyClass.EXTENSION;
            if (!readOnly.containsKey(rule.getKey()) && !extension) {
                throw new IllegalStateException("application-gateway-classes.tsv names '" + rule.getKey()
                        + "', which Azure's schema does not have");
            }
            if (extension) {
                paths.add(rule.getKey());
            }
        }
        Map<String, Entry> entries = new TreeMap<>();
        for (String path : paths) {
            entries.put(path, classify(path, rules, readOnly.getOrDefault(path, false), readOnly.containsKey(path)));
        }
        return new AzureSchema(
                schema.path("source").asString(), schema.path("apiVersion").asString(), entries);
    }

    /** The exact rule, else read-only when the schema says so, else the longest rule above the path. */
    private static Entry classify(String path, Map<String, String[]> rules, boolean readOnly, boolean azure) {
        String[] exact = rules.get(path);
        if (exact != null) {
            return new Entry(path, PropertyClass.of(exact[0]), exact[1], azure, path);
        }
        if (readOnly) {
            return new Entry(path, PropertyClass.READ_ONLY, "Computed; ignored on input", azure, path);
        }
        for (String above = parentOf(path); !above.isEmpty(); above = parentOf(above)) {
            String[] rule = rules.get(above);
            if (rule != null) {
                return new Entry(path, PropertyClass.of(rule[0]), rule[1], azure, above);
            }
        }
        throw new IllegalStateException("application-gateway-classes.tsv does not classify '" + path + "'");
    }

    /** The enclosing path: {@code a.b[]} for {@code a.b[].c}, {@code a.b} for {@code a.b[]}. */
    private static String parentOf(String path) {
        if (path.endsWith("[]")) {
            return path.substring(0, path.length() - 2);
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static InputStream resource(String name) {
        InputStream in = AzureSchema.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        return in;
    }
}
