package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse version}: the build's version from build-info, the manifest's, or "unknown". */
class VersionTests {

    @TempDir
    Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream()),
                        new ByteArrayInputStream(new byte[0]),
                        Map.of())
                .run(args);
        assertThat(exit).isEqualTo(ExitCode.OK);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionAndDashDashVersionPrintTheVersionTheBuildRecorded() {
        // The build-info goal writes target/classes/META-INF/build-info.properties with the pom's version.
        assertThat(run("version")).matches("gatehouse \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(run("--version")).isEqualTo(run("version"));
    }

    @Test
    void dashDashVersionRunsTheClientNotTheServer() {
        assertThat(Cli.isCommand(new String[] {"--version"})).isTrue();
        assertThat(Cli.isCommand(new String[] {"version"})).isTrue();
    }

    @Test
    void buildInfoComesBeforeTheManifest() throws IOException {
        Files.createDirectories(dir.resolve("META-INF"));
        Files.writeString(dir.resolve(Version.BUILD_INFO), "build.artifact=gatehouse\nbuild.version=9.8.7\n");
        try (URLClassLoader loader = loaderOf(dir)) {
            assertThat(Version.of(loader, "1.2.3")).isEqualTo("9.8.7");
        }
    }

    @Test
    void withoutBuildInfoTheManifestVersionThenUnknown() throws IOException {
        try (URLClassLoader loader = loaderOf(dir)) {
            assertThat(Version.of(loader, "1.2.3")).isEqualTo("1.2.3");
            assertThat(Version.of(loader, null)).isEqualTo(Version.UNKNOWN);
        }
    }

    /** Only {@code root}, without a parent, so the real build-info on the test classpath is not seen. */
    private static URLClassLoader loaderOf(Path root) throws IOException {
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }
}
