package dev.gatehouse.testing;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The shared application ({@link GatehouseIntegrationTest}) and a client for its API on the random port. */
@GatehouseIntegrationTest
public abstract class ApiIntegrationTest {

    @LocalServerPort
    protected int apiPort;

    protected GatehouseApi api;

    @BeforeEach
    void connectApi() {
        api = new GatehouseApi(apiPort);
    }
}
