package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.GatehouseIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed OpenAPI document (openapi/openapi.json) is what springdoc generates from the controllers, their
 * annotations and the customisers in the test sources, and the application serves it at /v3/api-docs as it is.
 * springdoc is a test dependency only: in the tests it answers at {@value #GENERATED} (src/test/resources/config).
 * When the API changes on purpose, regenerate the file with {@code ./mvnw verify -Dgatehouse.openapi.update=true}
 * and commit the diff.
 */
@GatehouseIntegrationTest
class OpenApiDocumentIntegrationTests {

    private static final Path COMMITTED = Path.of("openapi/openapi.json");
    private static final String SERVED = "/v3/api-docs";
    private static final String GENERATED = "/v3/api-docs/springdoc";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @LocalServerPort
    int apiPort;

    @Test
    void theCommittedDocumentIsWhatSpringdocGenerates() throws Exception {
        GatehouseApi.Response generated = new GatehouseApi(apiPort).getRaw(GENERATED);
        assertThat(generated.status()).isEqualTo(200);
        JsonNode tree = JSON.readTree(generated.raw());
        String canonical = JSON.writeValueAsString(JSON.treeToValue(tree, Object.class)) + "\n";
        if (Boolean.getBoolean("gatehouse.openapi.update")) {
            Files.writeString(COMMITTED, canonical);
        }
        assertThat(COMMITTED)
                .as("openapi/openapi.json (regenerate with -Dgatehouse.openapi.update=true)")
                .exists();
        assertThat(canonical)
                .as("openapi/openapi.json drifted from the generated document; regenerate with "
                        + "./mvnw verify -Dgatehouse.openapi.update=true")
                .isEqualTo(Files.readString(COMMITTED));
    }

    @Test
    void theServedDocumentIsTheCommittedFileAsJsonWithAnEtag() throws Exception {
        // The class path holds the copy made before the tests ran, older than a file just regenerated.
        assumeFalse(Boolean.getBoolean("gatehouse.openapi.update"), "openapi/openapi.json is being regenerated");
        GatehouseApi api = new GatehouseApi(apiPort);

        GatehouseApi.Response served = api.getRaw(SERVED);

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).hasValue("application/json");
        assertThat(served.raw()).isEqualTo(Files.readString(COMMITTED));
        assertThat(served.header("Cache-Control")).hasValue("no-cache");
        String etag = served.etag();
        assertThat(etag).matches("\"[0-9a-f]{64}\"");
        assertThat(served.headers().allValues("ETag")).hasSize(1);

        GatehouseApi.Response again = api.getRaw(SERVED, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        assertThat(again.etag()).isEqualTo(etag);
        assertThat(again.header("Cache-Control")).hasValue("no-cache");
        assertThat(api.getRaw(SERVED, "If-None-Match", "\"other\"").status()).isEqualTo(200);
    }

    @Test
    void theDocumentIsJsonOnly() {
        GatehouseApi api = new GatehouseApi(apiPort);
        GatehouseApi.Response yaml = api.getRaw(SERVED, "Accept", "application/yaml");
        assertThat(yaml.status()).isEqualTo(406);
        assertThat(yaml.errorCode()).isEqualTo("UnsupportedMediaType");
        assertThat(api.getRaw(SERVED, "Accept", "application/json").status()).isEqualTo(200);
    }

    @Test
    void livenessReadinessAndPrometheusAreServed() {
        GatehouseApi api = new GatehouseApi(apiPort);
        assertThat(api.getRaw("/actuator/health/liveness").raw()).contains("\"UP\"");
        GatehouseApi.Response readiness = api.getRaw("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.raw()).contains("\"UP\"");
        GatehouseApi.Response prometheus = api.getRaw("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw()).contains("gatehouse_backend_servers");
    }

    @Test
    void infoShowsTheBuildVersion() {
        GatehouseApi.Response info = new GatehouseApi(apiPort).getRaw("/actuator/info");
        assertThat(info.status()).isEqualTo(200);
        JsonNode build = JSON.readTree(info.raw()).path("build");
        assertThat(build.path("artifact").asText()).isEqualTo("gatehouse");
        assertThat(build.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void swaggerUiIsServedWithOurInitializer() {
        GatehouseApi api = new GatehouseApi(apiPort);
        GatehouseApi.Response page = api.getRaw("/swagger-ui.html");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/swagger-ui/index.html"));

        GatehouseApi.Response ui = api.getRaw("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw()).contains("swagger-ui", "swagger-initializer.js");
        GatehouseApi.Response initializer = api.getRaw("/swagger-ui/swagger-initializer.js");
        assertThat(initializer.status()).isEqualTo(200);
        assertThat(initializer.raw()).contains("\"../v3/api-docs\"").doesNotContain("petstore");
        assertThat(api.getRaw("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(api.getRaw("/swagger-ui/no-such-file.js").status()).isEqualTo(404);
    }
}
