package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The settings a start reads before Spring Boot's Environment: Boot's relaxed names and order of precedence, the
 * jar's own application.yml as defaults, and giving up wherever Boot could read more configuration.
 */
class EarlyEnvironmentTests {

    private static final String[] NO_ARGS = {};

    @TempDir
    Path work;

    @TempDir
    Path jar;

    /** A class path holding only the "jar's" own root, with its application.yml. */
    private URLClassLoader classPath(String defaults) throws IOException {
        Files.writeString(jar.resolve("application.yml"), defaults);
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    /** As the class loader names its resources (file:/...). */
    private String ownRoot() throws IOException {
        return jar.toUri().toURL().toString();
    }

    private EarlyEnvironment read(String[] args, Properties system, Map<String, String> env) throws IOException {
        try (URLClassLoader loader = classPath("gatehouse:\n  dataplane:\n    drain-timeout: 12s\n")) {
            return EarlyEnvironment.of(args, system, env, work, loader, ownRoot());
        }
    }

    private static Properties system(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void environmentVariablesAreReadWithBootsRelaxedNames() throws IOException {
        EarlyEnvironment early = read(
                NO_ARGS,
                system(),
                Map.of(
                        "GATEHOUSE_RESTORE_DIRECTORY", "/srv/copies",
                        "GATEHOUSE_SECURITY_ENCRYPTIONKEY", "k1",
                        "GATEHOUSE_DATAPLANE_DRAINTIMEOUT", "3s",
                        "GATEHOUSE_DATAPLANE_REUSE_PORT", "false",
                        "GATEHOUSE_PROBE_DEFAULTINTERVAL", "5s"));

        assertThat(early.gaveUp()).isNull();
        RestoreInputs inputs = RestoreInputs.bind(early.binder());
        assertThat(inputs.restore().directory()).isEqualTo("/srv/copies");
        assertThat(inputs.encryptionKey()).isEqualTo("k1");
        assertThat(inputs.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(inputs.dataPlane().reusePort()).isFalse();
        assertThat(inputs.probe().defaultInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theCommandLineBeatsSystemPropertiesWhichBeatTheEnvironmentWhichBeatsTheJarsDefaults() throws IOException {
        Map<String, String> env = Map.of("GATEHOUSE_DATAPLANE_DRAINTIMEOUT", "3s", "GATEHOUSE_DATAPLANE_THREADS", "3");
        Properties system = system("gatehouse.dataplane.drain-timeout", "4s", "gatehouse.dataplane.threads", "4");

        RestoreInputs all =
                RestoreInputs.bind(read(new String[] {"--gatehouse.dataplane.drain-timeout=5s", "server"}, system, env)
                        .binder());
        RestoreInputs noArgs = RestoreInputs.bind(read(NO_ARGS, system, env).binder());
        RestoreInputs envOnly = RestoreInputs.bind(read(NO_ARGS, system(), env).binder());
        RestoreInputs defaults =
                RestoreInputs.bind(read(NO_ARGS, system(), Map.of()).binder());

        assertThat(all.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(all.dataPlane().threads()).isEqualTo(4);
        assertThat(noArgs.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(envOnly.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(envOnly.dataPlane().threads()).isEqualTo(3);
        assertThat(defaults.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(defaults.restore().directory()).isEqualTo("data/last-applied");
    }

    @Test
    void theShippedDefaultsReadAsTheSettingsRecordsDefaults() throws IOException {
        Path classes = Path.of("target/classes");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            EarlyEnvironment early = EarlyEnvironment.of(
                    NO_ARGS,
                    system(),
                    Map.of(),
                    work,
                    loader,
                    classes.toUri().toURL().toString());

            assertThat(early.gaveUp()).isNull();
            assertThat(RestoreInputs.bind(early.binder())).isEqualTo(RestoreInputs.bind(new Binder()));
        }
    }

    @Test
    void aConfigFileInTheWorkingDirectoryOrItsConfigDirectoriesGivesUp() throws IOException {
        for (String file : new String[] {
            "application.properties",
            "application.yml",
            "config/application.yaml",
            "config/site/application.yml",
            "application-default.properties"
        }) {
            Path path = work.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "");

            assertThat(read(NO_ARGS, system(), Map.of()).gaveUp()).as(file).contains(file.replace('/', '/'));
            Files.delete(path);
        }
        assertThat(read(NO_ARGS, system(), Map.of()).gaveUp()).isNull();
    }

    @Test
    void aConfigFileOnTheClassPathBesideTheJarsOwnGivesUp(@TempDir Path other) throws IOException {
        Files.createDirectories(other.resolve("config"));
        Files.writeString(other.resolve("config/application.properties"), "gatehouse.dataplane.threads=7\n");
        Files.writeString(jar.resolve("application.yml"), "");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {jar.toUri().toURL(), other.toUri().toURL()}, null)) {
            EarlyEnvironment early = EarlyEnvironment.of(NO_ARGS, system(), Map.of(), work, loader, ownRoot());

            assertThat(early.gaveUp()).contains("classpath:config/application.properties");
        }
    }

    @Test
    void aProfileAConfigLocationOrSpringApplicationJsonGivesUpWhereverItIsSet() throws IOException {
        assertThat(read(new String[] {"--spring.profiles.active=prod"}, system(), Map.of())
                        .gaveUp())
                .contains("spring.profiles.active");
        assertThat(read(NO_ARGS, system("spring.config.location", "/etc/gh/"), Map.of())
                        .gaveUp())
                .contains("spring.config.location");
        assertThat(read(NO_ARGS, system(), Map.of("SPRING_APPLICATION_JSON", "{}"))
                        .gaveUp())
                .contains("SPRING_APPLICATION_JSON");
        assertThat(read(NO_ARGS, system(), Map.of("SPRING_CONFIG_ADDITIONALLOCATION", "/config/"))
                        .gaveUp())
                .contains("SPRING_CONFIG_ADDITIONALLOCATION");
        assertThat(read(NO_ARGS, system(), Map.of("SPRING_PROFILES_ACTIVE", "prod"))
                        .gaveUp())
                .contains("SPRING_PROFILES_ACTIVE");
        assertThat(read(new String[] {"--spring.application.json={}"}, system(), Map.of())
                        .gaveUp())
                .contains("spring.application.json");
    }

    @Test
    void aProfileInTheJarsOwnDefaultsGivesUp() throws IOException {
        try (URLClassLoader loader = classPath("spring:\n  profiles:\n    include: extra\n")) {
            assertThat(EarlyEnvironment.of(NO_ARGS, system(), Map.of(), work, loader, ownRoot())
                            .gaveUp())
                    .contains("spring.profiles.include");
        }
    }
}
