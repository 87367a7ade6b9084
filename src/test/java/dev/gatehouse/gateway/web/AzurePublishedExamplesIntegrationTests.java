package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example documents published with Azure's REST specification (azure-rest-api-specs,
 * {@code .../Microsoft.Network/stable/<version>/examples/ApplicationGateway*.json}), PUT as they are: each is
 * accepted, or refused with the one 400 FeatureNotServed that names every element Gatehouse does not serve (and
 * no property as unknown); nothing refused is stored. The examples committed under {@value #COMMITTED} (their
 * origin and MIT licence in its LICENSE.md) always run; a folder named by the environment variable
 * {@value #FOLDER}, searched with its sub-folders, adds more.
 */
class AzurePublishedExamplesIntegrationTests extends ApiIntegrationTest {

    static final String FOLDER = "GATEHOUSE_AZURE_EXAMPLES";
    static final String COMMITTED = "src/test/resources/azure-examples";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyPublishedCreateExampleIsAcceptedOrRefusedWithOneFeatureNotServedNamingEverything() throws IOException {
        List<Path> examples = examples();
        assertThat(examples)
                .as("ApplicationGateway*.json examples with a gateway PUT in " + COMMITTED)
                .hasSizeGreaterThanOrEqualTo(3);
        int n = 0;
        for (Path example : examples) {
            JsonNode parameters = JSON.readTree(example.toFile()).path("parameters");
            String path = TestGateway.path("published-example-" + n++);
            Response r = api.put(
                    path + "?api-version=" + parameters.path("api-version").asString(), parameters.path("parameters"));
            if (r.status() / 100 == 2) {
                continue;
            }
            assertThat(r.status()).as(example + ": " + r).isEqualTo(400);
            assertThat(r.errorCode()).as(example + ": " + r).isEqualTo("FeatureNotServed");
            assertThat(r.json()
                            .path("error")
                            .path("details")
                            .valueStream()
                            .map(d -> d.path("code").asString()))
                    .as(example + ": " + r)
                    .isNotEmpty()
                    .containsOnly("FeatureNotServed");
            assertThat(api.get(path).status()).as(example + ": nothing stored").isEqualTo(404);
            System.out.println(example.getFileName() + ": "
                    + r.json()
                            .path("error")
                            .path("details")
                            .valueStream()
                            .map(d -> d.path("target").asString())
                            .toList());
        }
    }

    /** The examples of a gateway PUT (ApplicationGateways_CreateOrUpdate): committed ones, then the folder's. */
    private static List<Path> examples() throws IOException {
        List<Path> found = new ArrayList<>(examplesIn(Path.of(COMMITTED)));
        String folder = System.getenv(FOLDER);
        if (folder != null && Files.isDirectory(Path.of(folder))) {
            found.addAll(examplesIn(Path.of(folder)));
        }
        return found;
    }

    private static List<Path> examplesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().matches(".*ApplicationGateway.*\\.json"))
                    .sorted()
                    .filter(f -> {
                        JsonNode p = JSON.readTree(f.toFile()).path("parameters");
                        return p.has("applicationGatewayName")
                                && p.path("parameters").has("location");
                    })
                    .toList();
        }
    }
}
