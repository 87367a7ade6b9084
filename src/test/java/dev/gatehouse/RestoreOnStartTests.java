package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.testing.EchoBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The start-up restore driven through Boot's events with real sockets: listeners served on the first event from
 * the command line's settings, and served again when the real configuration says otherwise.
 */
class RestoreOnStartTests {

    private static final byte[] MESSAGE = "restored".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path data;

    private final SpringApplication application = new SpringApplication(Object.class);
    private final DefaultBootstrapContext bootstrap = new DefaultBootstrapContext();
    private RestoreOnStart restore;
    private String[] args;

    @AfterEach
    void stop() {
        if (restore != null) {
            restore.onApplicationEvent(
                    new ApplicationFailedEvent(application, args, null, new IllegalStateException("test ends")));
        }
    }

    /** The command line is all the configuration (no files in an empty working directory and class path). */
    private RestoreOnStart restoreWithCommandLineOnly() {
        return new RestoreOnStart(arguments -> {
            try (URLClassLoader nothing = new URLClassLoader(new URL[0], null)) {
                return EarlyEnvironment.of(arguments, new Properties(), Map.of(), data, nothing, null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Path copyOf(Path directory, String name, int listen, int backend) throws Exception {
        TestGateway gateway =
                TestGateway.named(name).listen("127.0.0.1", listen).backends(backend, "127.0.0.1");
        ApplicationGateway spec = ArmJsonConfiguration.mapper().treeToValue(gateway.json(), ApplicationGateway.class);
        AppliedCopies.open(new AppliedCopies.Settings(directory.toString()), null)
                .write(gateway.path().toLowerCase(), 1, spec);
        return directory;
    }

    private void environmentPrepared(Map<String, Object> real) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("real", real));
        restore.onApplicationEvent(new ApplicationEnvironmentPreparedEvent(bootstrap, application, args, environment));
    }

    @Test
    void theFirstEventServesTheCopiesAndARealConfigurationThatDiffersServesThemAgainWithIt() throws Exception {
        int early = FreePorts.next();
        int real = FreePorts.next();
        try (EchoBackend echo = EchoBackend.start()) {
            Path earlyCopies = copyOf(data.resolve("early"), "early", early, echo.port());
            Path realCopies = copyOf(data.resolve("real"), "real", real, echo.port());
            args = new String[] {"--gatehouse.restore.directory=" + earlyCopies, "--server.port=0"};
            restore = restoreWithCommandLineOnly();

            restore.onApplicationEvent(new ApplicationStartingEvent(bootstrap, application, args));
            assertThat(echoThrough(early)).isEqualTo(MESSAGE);
            assertThatThrownBy(() -> echoThrough(real)).isInstanceOf(IOException.class);

            environmentPrepared(Map.of("gatehouse.restore.directory", realCopies.toString(), "server.port", "0"));
            assertThat(echoThrough(real)).isEqualTo(MESSAGE);
            // The early data plane closes on a thread of its own once the new one serves (both SO_REUSEPORT).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThatThrownBy(() -> echoThrough(early)).isInstanceOf(IOException.class));
        }
    }

    @Test
    void aRealConfigurationThatAgreesKeepsTheEarlyListenersAndTheirConnections() throws Exception {
        int listen = FreePorts.next();
        try (EchoBackend echo = EchoBackend.start()) {
            Path copies = copyOf(data.resolve("copies"), "same", listen, echo.port());
            args = new String[] {"--gatehouse.restore.directory=" + copies, "--server.port=0"};
            restore = restoreWithCommandLineOnly();
            restore.onApplicationEvent(new ApplicationStartingEvent(bootstrap, application, args));

            try (Socket open = connect(listen)) {
                environmentPrepared(Map.of(
                        "gatehouse.restore.directory", copies.toString(),
                        "gatehouse.dataplane.drain-timeout", "30s",
                        "server.port", "0"));

                open.getOutputStream().write(MESSAGE);
                open.shutdownOutput();
                assertThat(open.getInputStream().readAllBytes()).isEqualTo(MESSAGE);
            }
        }
    }

    @Test
    void whenTheEarlyEnvironmentGivesUpTheCopiesAreServedOnceBootsEnvironmentIsPrepared() throws Exception {
        int listen = FreePorts.next();
        try (EchoBackend echo = EchoBackend.start()) {
            Path copies = copyOf(data.resolve("copies"), "late", listen, echo.port());
            args = new String[] {"--gatehouse.restore.directory=" + copies, "--spring.profiles.active=elsewhere"};
            restore = restoreWithCommandLineOnly();

            restore.onApplicationEvent(new ApplicationStartingEvent(bootstrap, application, args));
            assertThatThrownBy(() -> echoThrough(listen)).isInstanceOf(IOException.class);

            environmentPrepared(Map.of("gatehouse.restore.directory", copies.toString(), "server.port", "0"));
            assertThat(echoThrough(listen)).isEqualTo(MESSAGE);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static byte[] echoThrough(int port) throws IOException {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(MESSAGE);
            socket.shutdownOutput();
            byte[] back = socket.getInputStream().readAllBytes();
            if (!Arrays.equals(back, MESSAGE)) {
                throw new IOException("came back: " + new String(back, StandardCharsets.US_ASCII));
            }
            return back;
        }
    }
}
