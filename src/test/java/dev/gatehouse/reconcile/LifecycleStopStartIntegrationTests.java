package dev.gatehouse.reconcile;

import static dev.gatehouse.testing.CaptureBackend.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application's lifecycle beans (reconciler, instance registration) stop and start again: Spring's test
 * context cache pauses a context that way when another one runs, and an embedding application may too.
 */
class LifecycleStopStartIntegrationTests extends ApiIntegrationTest {

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void afterAStopAndAStartChangesAreAppliedAgain() throws Exception {
        context.stop();
        context.start();
        // The API's web server stops and starts with the rest; on a random port it comes back on another one.
        GatehouseApi api = new GatehouseApi(
                ((WebServerApplicationContext) context).getWebServer().getPort());
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            api.apply(TestGateway.named("restarted")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1"));
            try (Socket client = new Socket("127.0.0.1", listenPort)) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("again".getBytes(US_ASCII));
                client.shutdownOutput();
                try (Socket upstream = backend.accept()) {
                    assertThat(new String(readToEnd(upstream), US_ASCII)).isEqualTo("again");
                }
            }
        }
    }
}
