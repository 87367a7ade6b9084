package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.RealReceivers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The Docker image's AOT cache training (deploy/docker/train-aot.sh, decision (bm)) run as the image build runs it,
 * without Docker: on the packaged jar's layers extracted and merged as the Dockerfile copies them, on a JDK 25, with
 * the image's {@code JAVA_TOOL_OPTIONS} read from the Dockerfile. The script's own last step is the check: a start
 * that must map the cache ({@code -XX:AOTMode=on}) relays through both training chains with the data plane's relay,
 * PROXY and TLS classes from the cache and at most 200 classes read from the jars. Skips loudly without a JDK 25
 * (the test JVM's own, or Temurin's under /usr/lib/jvm), unless {@code gatehouse.interop.required} (CI).
 */
class ImageAotTrainingIntegrationTests {

    private static final Path SCRIPT = Path.of("deploy/docker/train-aot.sh");

    @TempDir
    Path work;

    @Test
    void theImageBuildRecordsACacheThatTheDataPlaneRelaysFrom() throws Exception {
        Path java = jdk25().orElse(null);
        if (java == null) {
            RealReceivers.skipLoudly(
                    "no JDK 25 (the test JVM's or /usr/lib/jvm/temurin-25-jdk*): the image's AOT training did not run");
        }
        Path jar = JarProcess.jar().toAbsolutePath();
        Path app = extractAsTheImage(java, jar);
        Path cache = work.resolve("gatehouse.aot");
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ports.add(Integer.toString(FreePorts.next()));
        }

        ProcessBuilder training = new ProcessBuilder(
                        "bash",
                        SCRIPT.toString(),
                        app.resolve(jar.getFileName()).toString(),
                        cache.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("training.log").toFile());
        training.environment().put("JAVA", java.toString());
        training.environment().put("JAVA_TOOL_OPTIONS", imageJavaToolOptions());
        training.environment().put("TRAIN_PORTS", String.join(" ", ports));
        training.environment().put("TRAIN_CONNECTIONS", "300");
        training.environment().put("TMPDIR", work.toString());
        Process process = training.start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String log = Files.readString(work.resolve("training.log"));

        assertThat(ended).as("the training ended within 5 minutes:%n%s", log).isTrue();
        assertThat(process.exitValue())
                .as("the training's exit status:%n%s", log)
                .isZero();
        assertThat(log)
                .contains("train-aot: done: " + cache)
                .containsPattern("the check start read \\d+ classes from the jars");
        assertThat(cache).isNotEmptyFile();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("the script leaves no scratch directory")
                    .noneMatch(name -> name.startsWith("gatehouse-training."));
        }
    }

    /** The test JVM when it is 25 or later (CI's step 1b), else Temurin's 25 on this machine. */
    private static Optional<Path> jdk25() throws IOException {
        if (Runtime.version().feature() >= 25) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("temurin-25-jdk"))
                    .map(d -> d.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .sorted()
                    .findFirst();
        }
    }

    /** The jar's layers extracted as plain jars and merged into one directory, as the Dockerfile copies them. */
    private Path extractAsTheImage(Path java, Path jar) throws Exception {
        Path layers = work.resolve("layers");
        Process extract = new ProcessBuilder(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--layers",
                        "--destination",
                        layers.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("extract.log").toFile())
                .start();
        assertThat(extract.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(extract.exitValue())
                .as(Files.readString(work.resolve("extract.log")))
                .isZero();
        Path app = work.resolve("app");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            Path from = layers.resolve(layer);
            if (Files.isDirectory(from)) {
                FileSystemUtils.copyRecursively(from, app);
            }
        }
        FileSystemUtils.deleteRecursively(layers);
        assertThat(app.resolve(jar.getFileName())).isRegularFile();
        return app;
    }

    /** The runtime stage's JAVA_TOOL_OPTIONS: the cache is valid only for the options it was recorded with. */
    private static String imageJavaToolOptions() throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(env.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
        return env.group(1);
    }
}
