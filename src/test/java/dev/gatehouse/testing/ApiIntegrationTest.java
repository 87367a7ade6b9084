package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The shared application ({@link GatehouseIntegrationTest}) and a client for its API on the random port. */
@GatehouseIntegrationTest
public abstract class ApiIntegrationTest {

    @LocalServerPort
    protected int apiPort;

    protected GatehouseApi api;

    private final List<String> deleteAfterwards = new ArrayList<>();

    @BeforeEach
    void connectApi() {
        api = new GatehouseApi(apiPort);
    }

    /**
     * Deletes {@code gateway} when the test ends, passed or failed. For gateways that probe their servers often:
     * the shared application outlives the test, and so would their probes, connecting for the rest of the run to
     * a port the test has closed and the kernel may give to a later test's backend, which then sees a connection
     * it did not expect.
     */
    protected void deleteAfterwards(TestGateway gateway) {
        deleteAfterwards.add(gateway.path());
    }

    /** The scrape's sample lines that carry {@code label} and whose name starts with {@code prefix}. */
    protected List<String> series(String label, String prefix) {
        GatehouseApi.Response scrape = api.getRaw("/actuator/prometheus");
        assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
        return scrape.raw()
                .lines()
                .filter(l -> !l.startsWith("#") && l.startsWith(prefix) && l.contains(label))
                .toList();
    }

    @AfterEach
    void deleteGateways() {
        for (String path : deleteAfterwards) {
            GatehouseApi.Response deleted = api.delete(path);
            assertThat(deleted.status()).as("DELETE %s: %s", path, deleted).isIn(200, 202, 204);
        }
    }
}
