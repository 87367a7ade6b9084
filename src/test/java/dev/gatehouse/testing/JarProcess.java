package dev.gatehouse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.springframework.util.FileSystemUtils;

/**
 * The packaged jar ({@code target/gatehouse-*.jar}, built by {@code ./mvnw verify} before the integration
 * tests) run as its own process, as an operator runs it. Output goes to {@code target/<name>.log}.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private JarProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static Path jar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("gatehouse-.*\\.jar")
                            && !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no target/gatehouse-*.jar: run through ./mvnw verify"));
        }
    }

    /** Starts the server on a free API port with {@code args} and waits until it reports ready. */
    public static JarProcess startServer(String name, String... args) throws Exception {
        return start(name, FreePorts.next(), List.of(), args);
    }

    /** Starts the server as {@link #startServer} does, on API port {@code port}. */
    public static JarProcess startServerOnPort(String name, int port, String... args) throws Exception {
        return start(name, port, List.of(), args);
    }

    /**
     * Starts the server as {@link #startServer} does, with its open-files limit (soft and hard) set to
     * {@code openFiles} by {@code prlimit}; raising the hard limit needs root.
     */
    public static JarProcess startServerWithOpenFiles(String name, int openFiles, String... args) throws Exception {
        return start(name, FreePorts.next(), List.of("prlimit", "--nofile=" + openFiles + ":" + openFiles, "--"), args);
    }

    private static JarProcess start(String name, int port, List<String> prefix, String... args) throws Exception {
        JarProcess jar = launch(name, port, prefix, args);
        jar.awaitReady();
        return jar;
    }

    /** Starts the server on API port {@code port} without waiting for it: {@link #awaitReady} does. */
    public static JarProcess launch(String name, int port, String... args) throws Exception {
        return launch(name, port, List.of(), args);
    }

    private static JarProcess launch(String name, int port, List<String> prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString(),
                "--server.port=" + port));
        command.addAll(List.of(args));
        if (Stream.of(args).noneMatch(a -> a.startsWith("--gatehouse.restore.directory="))) {
            // Its own applied copies, empty at start: a process restores only what it applied itself.
            Path copies = Path.of("target", name + "-last-applied");
            FileSystemUtils.deleteRecursively(copies);
            command.add("--gatehouse.restore.directory=" + copies);
        }
        Path log = Path.of("target", name + ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new JarProcess(p, log, port);
    }

    /** Waits (up to 90 s) until the server reports ready; kills it and fails if it does not. */
    public void awaitReady() throws IOException {
        GatehouseApi api = api();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .failFast("the process exited", () -> !process.isAlive())
                    .until(() -> api.getRaw("/actuator/health/readiness").status() == 200);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new AssertionError(log.getFileName() + " did not become ready: " + Files.readString(log), e);
        }
    }

    public GatehouseApi api() {
        return new GatehouseApi(port);
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no deregistration, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and the exit code, after a graceful shutdown. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("no exit within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
