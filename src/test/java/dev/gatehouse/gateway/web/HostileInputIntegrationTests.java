package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Property-based hostile input against the packaged jar: random and malformed JSON, huge numbers, deep
 * nesting, odd Unicode and wrong types at every write endpoint. Every answer is a 4xx in ARM's envelope
 * (never a 500), and the stored gateway is byte-identical afterwards. What-if gets mutated valid documents:
 * 200 or 400, never anything else.
 */
class HostileInputIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static JarProcess jar;
    private static GatehouseApi api;
    private static TestGateway target;
    private static String baseline;

    @BeforeContainer
    static void start() throws Exception {
        jar = JarProcess.startServer(
                "hostile-input",
                "--spring.datasource.url=jdbc:h2:mem:hostile;DB_CLOSE_DELAY=-1",
                "--logging.level.root=WARN");
        api = jar.api();
        target = TestGateway.named("fuzz-target")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        api.apply(target);
        baseline = api.get(target.path()).stored();
    }

    @AfterContainer
    static void stop() throws Exception {
        if (jar != null) {
            assertThat(jar.log()).doesNotContain("ERROR");
            jar.close();
        }
    }

    private static void assertArmError(GatehouseApi.Response r, String sent) {
        assertThat(r.status()).as("status for %s -> %s", abbreviate(sent), r).isBetween(400, 499);
        JsonNode error = r.json().path("error");
        assertThat(error.path("code").asString()).as(r.toString()).isNotBlank();
        assertThat(error.path("message").asString()).as(r.toString()).isNotBlank();
        assertThat(r.header("x-ms-error-code")).contains(error.path("code").asString());
    }

    private static void assertUnchanged() {
        assertThat(api.get(target.path()).stored()).isEqualTo(baseline);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
    }

    @Property(tries = 300)
    void anyHostileBodyAtAnyWriteEndpointIsA4xxAndChangesNothing(
            @ForAll("hostileBodies") String body, @ForAll("writePaths") String path) {
        GatehouseApi.Response r = path.endsWith("/validate") ? api.post(path, body) : api.put(path, body);
        assertArmError(r, body);
        assertUnchanged();
    }

    @Property(tries = 200)
    void mutatedDocumentsGetAWhatIfAnswerOrA400NeverAnythingElse(@ForAll("mutatedDocuments") String body) {
        GatehouseApi.Response r = api.post(target.path() + "/validate", body);
        assertThat(r.status()).as("%s -> %s", abbreviate(body), r).isIn(200, 400);
        if (r.status() == 400) {
            assertArmError(r, body);
        }
        assertUnchanged();
    }

    @Provide
    Arbitrary<String> writePaths() {
        return Arbitraries.of(
                target.path(),
                target.path() + "/validate",
                target.path() + "/frontendIPConfigurations/fip",
                target.path() + "/frontendPorts/port",
                target.path() + "/listeners/listener",
                target.path() + "/backendAddressPools/pool",
                target.path() + "/backendSettingsCollection/settings",
                target.path() + "/probes/probe",
                target.path() + "/routingRules/rule",
                target.path() + "/sslCertificates/cert",
                target.path() + "/trustedRootCertificates/root");
    }

    /** Bodies that must never be stored: malformed, wrongly typed, or hostile in size and shape. */
    @Provide
    Arbitrary<String> hostileBodies() {
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> malformed = Arbitraries.of(
                "",
                "{",
                "}",
                "[",
                "{\"location\":",
                "{\"properties\":{}}}",
                "{\"a\":1,\"a\":2}",
                "nul",
                "tru",
                "{'location':'x'}",
                "{\"location\":\"x\",}",
                "\u0000",
                "{\"\\ud800\":1}",
                "{\"location\":\"westeurope\",\"properties\":{\"frontendPorts\":[{\"name\":\"p\",\"properties\":{\"port\":1e999999}}]}}",
                "{\"properties\":{\"port\":123456789012345678901234567890123456789}}",
                "{\"properties\":{\"port\":-0.0000000000000000000001}}",
                "{\"location\":\"x\"} {\"location\":\"y\"}");
        Arbitrary<String> deep = Arbitraries.integers().between(100, 20_000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> deepObject = Arbitraries.integers()
                .between(100, 5_000)
                .map(n -> "{\"properties\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}");
        Arbitrary<String> wrongTypes = Combinators.combine(
                        Arbitraries.of("location", "properties", "tags", "name", "id", "etag"), jsonValues())
                .as((key, value) -> "{\"" + key + "\":" + value + "}")
                .filter(s -> !s.equals("{\"location\":\"westeurope\"}"));
        Arbitrary<String> randomText = unicode.map(s -> "{\"location\":\"" + escape(s) + "\",\"properties\":"
                + "{\"listeners\":[{\"name\":\"" + escape(s) + "\"}]}}");
        Arbitrary<String> huge =
                Arbitraries.integers().between(1, 3).map(n -> "{\"location\":\"" + "é".repeat(n * 700_000) + "\"}");
        return Arbitraries.oneOf(unicode, malformed, deep, deepObject, wrongTypes, randomText, huge);
    }

    private static Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "null",
                        "true",
                        "false",
                        "0",
                        "-1",
                        "1e308",
                        "1e-308",
                        "99999999999999999999",
                        "[]",
                        "{}",
                        "[null]",
                        "\"\"",
                        "[{}]",
                        "{\"x\":[]}"),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> "\"" + escape(s) + "\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("Infinity") && !d.contains("NaN")));
    }

    /** A valid document with one leaf replaced by a random JSON value, or one property added or removed. */
    @Provide
    Arbitrary<String> mutatedDocuments() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 10_000),
                        jsonValues(),
                        Arbitraries.of("replace", "remove", "add"))
                .as((pick, value, how) -> {
                    ObjectNode doc = target.json();
                    List<ObjectNode> parents = new ArrayList<>();
                    collect(doc, parents);
                    ObjectNode parent = parents.get(pick % parents.size());
                    List<String> names = new ArrayList<>(parent.propertyNames());
                    if (names.isEmpty() || how.equals("add")) {
                        parent.set("unexpected" + pick, JSON.readTree(value));
                    } else if (how.equals("remove")) {
                        parent.remove(names.get(pick % names.size()));
                    } else {
                        parent.set(names.get(pick % names.size()), JSON.readTree(value));
                    }
                    return JSON.writeValueAsString(doc);
                });
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
            o.values().forEach(v -> collect(v, out));
        } else if (node instanceof ArrayNode a) {
            a.values().forEach(v -> collect(v, out));
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
