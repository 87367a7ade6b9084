package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.JarProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar asked for help or its version: it prints and exits 0 at once, and never starts the server
 * (no Spring banner, nothing listening on the API port it was given through the environment).
 */
class CliJarIntegrationTests {

    record Ran(int exit, String output) {}

    private static Ran runJar(int apiPort, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JarProcess.jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SERVER_PORT", String.valueOf(apiPort));
        Process p = builder.start();
        try {
            boolean exited = p.waitFor(30, TimeUnit.SECONDS);
            boolean listening = !exited && accepts(apiPort);
            assertThat(exited)
                    .as("%s exits by itself (a server would not); API port bound: %s", List.of(args), listening)
                    .isTrue();
            return new Ran(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help", "help apply", "apply --help", "export -h", "--version", "-V"})
    void helpAndVersionPrintAndExit0WithoutStartingTheServer(String args) throws Exception {
        int apiPort = FreePorts.next();

        Ran ran = runJar(apiPort, args.split(" "));

        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.output())
                .doesNotContain("Spring", "Tomcat", "Started GatehouseApplication")
                .containsPattern(
                        args.contains("-V") || args.contains("version") ? "^gatehouse \\d" : "^usage: gatehouse");
        assertThat(accepts(apiPort)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "get --colour=red"})
    void anArgumentTheClientDoesNotKnowIsExit2NotAServer(String args) throws Exception {
        Ran ran = runJar(FreePorts.next(), args.split(" "));

        assertThat(ran.exit()).as(ran.output()).isEqualTo(2);
        assertThat(ran.output()).startsWith("gatehouse: ").doesNotContain("Spring");
    }
}
