package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The committed OpenAPI document (openapi/openapi.json) is what the running application serves. When the
 * API changes on purpose, regenerate it with {@code ./mvnw verify -Dgatehouse.openapi.update=true} and
 * commit the diff.
 */
@GatehouseIntegrationTest
class OpenApiDocumentIntegrationTests {

    private static final Path COMMITTED = Path.of("openapi/openapi.json");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @LocalServerPort
    int apiPort;

    @Test
    void theCommittedDocumentMatchesTheServedOne() throws Exception {
        GatehouseApi.Response served = new GatehouseApi(apiPort).getRaw("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        JsonNode tree = JSON.readTree(served.raw());
        String canonical = JSON.writeValueAsString(JSON.treeToValue(tree, Object.class)) + "\n";
        if (Boolean.getBoolean("gatehouse.openapi.update")) {
            Files.writeString(COMMITTED, canonical);
        }
        assertThat(COMMITTED)
                .as("openapi/openapi.json (regenerate with -Dgatehouse.openapi.update=true)")
                .exists();
        assertThat(canonical)
                .as("openapi/openapi.json drifted from the served document; regenerate with "
                        + "./mvnw verify -Dgatehouse.openapi.update=true")
                .isEqualTo(Files.readString(COMMITTED));
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
    void swaggerUiIsServed() {
        GatehouseApi.Response ui = new GatehouseApi(apiPort).getRaw("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw()).contains("swagger-ui");
    }
}
