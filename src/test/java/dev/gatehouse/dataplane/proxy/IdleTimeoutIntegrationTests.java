package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.testing.CaptureBackend.readN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.ClientSockets;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout of a relayed connection (backend settings {@code timeout}, docs/decisions.md (j)): both sides
 * close after that long without traffic in either direction, and traffic in one direction alone keeps a
 * connection open, however silent the other side is.
 */
class IdleTimeoutIntegrationTests extends ApiIntegrationTest {

    private static final int TIMEOUT_SECONDS = 1;
    /** Bytes every {@link #GAP_MILLIS} for {@link #CHUNKS} chunks: well past the timeout, never a pause as long. */
    private static final int CHUNK = 100;

    private static final int GAP_MILLIS = 250;
    private static final int CHUNKS = 14;

    private int listen(CaptureBackend backend, String name) {
        int port = FreePorts.next();
        api.apply(TestGateway.named(name)
                .listen("127.0.0.1", port)
                .backends(backend.port(), "127.0.0.1")
                .timeout(TIMEOUT_SECONDS));
        return port;
    }

    @Test
    void aConnectionWithoutTrafficIsClosedOnBothSidesAfterTheTimeout() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = listen(backend, "idle-closed");
            try (Socket client = ClientSockets.open(port)) {
                client.getOutputStream().write("hi".getBytes());
                Socket upstream = backend.accept();
                upstream.setSoTimeout(ClientSockets.READ_TIMEOUT_MILLIS);
                assertThat(readN(upstream, 2)).hasSize(2);
                long lastTraffic = System.nanoTime();

                ClientSockets.assertEnds(client);
                long millis = (System.nanoTime() - lastTraffic) / 1_000_000;
                assertThat(millis).isBetween(TIMEOUT_SECONDS * 1000L - 200, TIMEOUT_SECONDS * 1000L + 5_000);
                assertThat(upstream.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aLongDownloadToASilentClientIsNotIdle() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = listen(backend, "idle-download");
            try (Socket client = ClientSockets.open(port)) {
                client.getOutputStream().write('?'); // the last byte the client sends while the backend does
                Socket upstream = backend.accept();
                upstream.setSoTimeout(ClientSockets.READ_TIMEOUT_MILLIS);
                assertThat(readN(upstream, 1)).hasSize(1);

                trickle(upstream.getOutputStream());
                assertThat(readN(client, CHUNK * CHUNKS)).hasSize(CHUNK * CHUNKS);
                assertStillOpen(client.getOutputStream(), upstream.getInputStream());
            }
        }
    }

    @Test
    void aLongUploadToASilentBackendIsNotIdle() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = listen(backend, "idle-upload");
            try (Socket client = ClientSockets.open(port)) {
                client.getOutputStream().write('?');
                Socket upstream = backend.accept();
                upstream.setSoTimeout(ClientSockets.READ_TIMEOUT_MILLIS);
                assertThat(readN(upstream, 1)).hasSize(1);

                trickle(client.getOutputStream());
                assertThat(readN(upstream, CHUNK * CHUNKS)).hasSize(CHUNK * CHUNKS);
                assertStillOpen(upstream.getOutputStream(), client.getInputStream());
            }
        }
    }

    /** {@link #CHUNKS} chunks {@link #GAP_MILLIS} apart: 3.5 timeouts of traffic one way only. */
    private static void trickle(OutputStream out) throws Exception {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < CHUNKS; i++) {
            out.write(chunk);
            out.flush();
            Thread.sleep(GAP_MILLIS);
        }
    }

    /** A byte written on one side still arrives on the other: the relay was not closed. */
    private static void assertStillOpen(OutputStream from, InputStream to) throws Exception {
        from.write('!');
        from.flush();
        assertThat(to.read()).isEqualTo('!');
    }
}
