package dev.gatehouse.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A stored document that the translator cannot build (here one damaged in the database, as a document
 * written by another version could be) ends in provisioningState Failed with the reason, instead of being
 * retried forever while the gateway shows Updating; the data plane keeps serving the last good snapshot.
 */
class UntranslatableDocumentIntegrationTests extends ApiIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void anUntranslatableGenerationEndsFailedWithTheReasonAndTheLastGoodSnapshotKeepsServing() throws Exception {
        int port = FreePorts.next();
        TestGateway gw =
                TestGateway.named("untranslatable").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        api.apply(gw);

        int damaged = jdbc.update(
                "update application_gateway set document = replace(document, "
                        + "'\"privateIPAddress\":\"127.0.0.1\"', '\"privateIPAddress\":\"not-an-address\"'), "
                        + "etag = 'W/\"damaged\"', generation = generation + 1 where name = ?",
                gw.name());
        assertThat(damaged).isEqualTo(1);

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode properties = api.get(gw.path()).json().path("properties");
            assertThat(properties.path("provisioningState").asString()).isEqualTo("Failed");
            assertThat(properties.path("provisioningError").path("code").asString())
                    .isEqualTo("TranslationFailed");
            assertThat(properties.path("provisioningError").path("message").asString())
                    .contains("not-an-address");
        });
        // The reconcile is timed after it recorded the status the API just showed.
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(meters.find("gatehouse.reconcile")
                                .tag("result", "failure")
                                .timers())
                        .anySatisfy(t -> assertThat(t.getId().getTag("gateway")).contains("untranslatable")));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        }
    }
}
