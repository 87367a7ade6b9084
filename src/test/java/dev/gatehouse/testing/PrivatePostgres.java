package dev.gatehouse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL instance of the test's own ({@code initdb} and {@code pg_ctl} from
 * {@code /usr/lib/postgresql/<version>/bin}), in a temporary directory on a free port, that a test can stop and
 * start again like an operator would. Run as the {@code postgres} user when the tests run as root (PostgreSQL
 * refuses root). Trust authentication for the user {@code gatehouse}, on 127.0.0.1 only.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Path INSTALL = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Creates and starts a cluster. Skips the calling test, loudly, when PostgreSQL is not installed; fails
     * instead when {@value RealReceivers#REQUIRED_PROPERTY} is true.
     */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            RealReceivers.skipLoudly(
                    "PostgreSQL binaries not found under " + INSTALL + "; database outage test did not run");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "gatehouse-pg");
        PrivatePostgres pg = new PrivatePostgres(bin.get(), dir, FreePorts.next(), root);
        if (root) {
            pg.run(List.of("chown", "postgres", dir.toString()), false);
        }
        pg.run(
                List.of(
                        bin.get().resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "gatehouse",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                true);
        pg.startAgain();
        return pg;
    }

    private static Optional<Path> binaries() throws IOException {
        if (!Files.isDirectory(INSTALL)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALL)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(
                            b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "gatehouse";
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("postgres.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
                        "start"),
                true);
    }

    /** Stops the server as {@code pg_ctl stop -m fast} does: open sessions are terminated, nothing is lost. */
    public void stop() throws IOException, InterruptedException {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "fast",
                        "-w",
                        "stop"),
                true);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", full) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
