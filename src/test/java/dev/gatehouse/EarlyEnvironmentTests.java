package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.DefaultResourceLoader;

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
                .contains("spring.config.additional-location=/config/");
        assertThat(read(NO_ARGS, system(), Map.of("SPRING_CONFIG_IMPORT", "optional:file:/config/x.yml"))
                        .gaveUp())
                .contains("SPRING_CONFIG_IMPORT");
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

    /** The shipped jar's class path: target/classes alone (no test resources). */
    static URLClassLoader shippedClassPath() throws IOException {
        return new URLClassLoader(new URL[] {Path.of("target/classes").toUri().toURL()}, null);
    }

    static String shippedRoot() throws IOException {
        return Path.of("target/classes").toUri().toURL().toString();
    }

    /** As the start reads them early, from the shipped class path and this process's working directory. */
    static EarlyEnvironment early(String[] args, Properties system, Map<String, String> env) throws IOException {
        try (URLClassLoader loader = shippedClassPath()) {
            return EarlyEnvironment.of(args, system, env, Path.of("").toAbsolutePath(), loader, shippedRoot());
        }
    }

    /**
     * As Boot's prepared Environment has them: its own config-data processing over the same sources, the shipped
     * class path and this process's working directory (which holds no application.* file).
     */
    static RestoreInputs boot(String[] args, Properties system, Map<String, String> env) throws IOException {
        return RestoreInputs.bind(Binder.get(bootEnvironment(args, system, env)));
    }

    private static StandardEnvironment bootEnvironment(String[] args, Properties system, Map<String, String> env)
            throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(
                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new PropertiesPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, system));
        sources.replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(env)));
        sources.addFirst(new SimpleCommandLinePropertySource(args));
        ConfigDataEnvironmentPostProcessor.applyTo(
                environment,
                new DefaultResourceLoader(new ShippedConfigOnly(shippedRoot())),
                new DefaultBootstrapContext());
        return environment;
    }

    @Test
    void bootsConfigurationHereReadsTheShippedApplicationYmlButNotTheTestResources() throws IOException {
        StandardEnvironment environment = bootEnvironment(NO_ARGS, system(), Map.of());

        assertThat(environment.getProperty("server.tomcat.accept-count")).isEqualTo("1024");
        // src/test/resources/config/application.properties would make it empty.
        assertThat(environment.getProperty("gatehouse.restore.directory")).isEqualTo("data/last-applied");
    }

    /**
     * The test class path (Boot's resolvers and loaders) with the config files of target/classes only: the test
     * resources' config/application.properties is not the shipped jar's.
     */
    private static final class ShippedConfigOnly extends ClassLoader {

        private final String root;

        ShippedConfigOnly(String root) {
            super(EarlyEnvironmentTests.class.getClassLoader());
            this.root = root;
        }

        private static boolean config(String name) {
            String path = name.startsWith("/") ? name.substring(1) : name;
            return path.startsWith("application") || path.startsWith("config/");
        }

        @Override
        public URL getResource(String name) {
            if (!config(name)) {
                return super.getResource(name);
            }
            try {
                Enumeration<URL> found = getResources(name);
                return found.hasMoreElements() ? found.nextElement() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> found = Collections.list(super.getResources(name));
            if (config(name)) {
                found.removeIf(url -> !url.toString().startsWith(root));
            }
            return Collections.enumeration(found);
        }
    }

    /** Reads early without giving up, and as Boot's Environment does. */
    private static RestoreInputs sameAsBoot(String[] args, Properties system, Map<String, String> env)
            throws IOException {
        EarlyEnvironment early = early(args, system, env);
        assertThat(early.gaveUp()).isNull();
        RestoreInputs inputs = RestoreInputs.bind(early.binder());
        assertThat(inputs).isEqualTo(boot(args, system, env));
        return inputs;
    }

    private static String location(Path path) {
        return "file:" + path.toAbsolutePath() + (Files.isDirectory(path) ? "/" : "");
    }

    @Test
    void anAdditionalDirectoryLocationIsReadAboveTheJarsDefaults(@TempDir Path config) throws IOException {
        Files.writeString(
                config.resolve("application.yml"),
                "gatehouse:\n  dataplane:\n    reuse-port: false\n    drain-timeout: 7s\n  restore:\n"
                        + "    directory: /data/last-applied\n");

        RestoreInputs inputs = sameAsBoot(
                new String[] {"--spring.config.additional-location=optional:" + location(config)}, system(), Map.of());

        assertThat(inputs.dataPlane().reusePort()).isFalse();
        assertThat(inputs.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(inputs.restore().directory()).isEqualTo("/data/last-applied");
    }

    @Test
    void aFileLocationWithPropertiesIsRead(@TempDir Path config) throws IOException {
        Path file = config.resolve("site.properties");
        Files.writeString(file, "gatehouse.dataplane.threads=3\ngatehouse.probe.default-interval=9s\n");

        RestoreInputs inputs =
                sameAsBoot(NO_ARGS, system("spring.config.additional-location", location(file)), Map.of());

        assertThat(inputs.dataPlane().threads()).isEqualTo(3);
        assertThat(inputs.probe().defaultInterval()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void inOneDirectoryPropertiesWinOverYamlAndALaterEntryOverAnEarlierOne(@TempDir Path config) throws IOException {
        Path a = Files.createDirectories(config.resolve("a"));
        Path b = Files.createDirectories(config.resolve("b"));
        Files.writeString(
                a.resolve("application.yml"), "gatehouse.dataplane.threads: 2\ngatehouse.probe.default-interval: 4s\n");
        Files.writeString(a.resolve("application.properties"), "gatehouse.dataplane.threads=5\n");
        Files.writeString(b.resolve("application.yaml"), "gatehouse.probe.default-interval: 6s\n");

        RestoreInputs inputs = sameAsBoot(
                NO_ARGS, system(), Map.of("SPRING_CONFIG_ADDITIONALLOCATION", location(a) + "," + location(b)));

        assertThat(inputs.dataPlane().threads()).isEqualTo(5);
        assertThat(inputs.probe().defaultInterval()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void anOptionalMissingLocationAddsNothingAndARequiredOneGivesUp(@TempDir Path config) throws IOException {
        Path missing = config.resolve("missing");
        String[] args = {
            "--spring.config.additional-location=optional:file:" + missing + "/,optional:file:"
                    + config.resolve("none.yml")
        };
        assertThat(sameAsBoot(args, system(), Map.of())).isEqualTo(sameAsBoot(NO_ARGS, system(), Map.of()));

        assertThat(early(new String[] {"--spring.config.additional-location=file:" + missing + "/"}, system(), Map.of())
                        .gaveUp())
                .contains("is not a directory");
        assertThat(early(
                                new String[] {"--spring.config.location=file:" + config.resolve("none.yml")},
                                system(),
                                Map.of())
                        .gaveUp())
                .contains("does not exist");
    }

    @Test
    void aLocationReplacesTheDefaultsIncludingTheJarsOwn(@TempDir Path config) throws IOException {
        Files.writeString(config.resolve("application.properties"), "gatehouse.dataplane.threads=6\n");
        String[] args = {"--spring.config.location=optional:" + location(config)};

        RestoreInputs inputs = sameAsBoot(args, system(), Map.of());

        assertThat(inputs.dataPlane().threads()).isEqualTo(6);
        // The jar's own application.yml is not read: the restore directory is the settings record's default only
        // because the two agree, so a setting the jar alone makes tells them apart.
        try (URLClassLoader loader = classPath("gatehouse:\n  dataplane:\n    drain-timeout: 12s\n")) {
            assertThat(RestoreInputs.bind(EarlyEnvironment.of(args, system(), Map.of(), work, loader, ownRoot())
                                    .binder())
                            .dataPlane()
                            .drainTimeout())
                    .isNotEqualTo(Duration.ofSeconds(12));
            Files.writeString(work.resolve("application.yml"), "gatehouse.dataplane.threads: 1\n");
            assertThat(EarlyEnvironment.of(args, system(), Map.of(), work, loader, ownRoot())
                            .gaveUp())
                    .isNull();
            assertThat(EarlyEnvironment.of(NO_ARGS, system(), Map.of(), work, loader, ownRoot())
                            .gaveUp())
                    .contains("application.yml exists");
            String[] withClassPath = {"--spring.config.location=optional:classpath:/," + args[0].substring(25)};
            assertThat(RestoreInputs.bind(
                                    EarlyEnvironment.of(withClassPath, system(), Map.of(), work, loader, ownRoot())
                                            .binder())
                            .dataPlane())
                    .satisfies(d -> {
                        assertThat(d.drainTimeout()).isEqualTo(Duration.ofSeconds(12));
                        assertThat(d.threads()).isEqualTo(6);
                    });
        }
    }

    @Test
    void theCommandLineSystemPropertiesAndEnvironmentWinOverALocationsFiles(@TempDir Path config) throws IOException {
        Files.writeString(
                config.resolve("application.yml"),
                "gatehouse:\n  dataplane:\n    threads: 2\n    drain-timeout: 2s\n    reuse-port: false\n");
        String[] location = {"--spring.config.additional-location=" + location(config)};

        RestoreInputs filesOnly = sameAsBoot(location, system(), Map.of());
        RestoreInputs env = sameAsBoot(location, system(), Map.of("GATEHOUSE_DATAPLANE_THREADS", "3"));
        RestoreInputs system = sameAsBoot(location, system("gatehouse.dataplane.drain-timeout", "4s"), Map.of());
        RestoreInputs args =
                sameAsBoot(new String[] {location[0], "--gatehouse.dataplane.reuse-port=true"}, system(), Map.of());

        assertThat(filesOnly.dataPlane().threads()).isEqualTo(2);
        assertThat(env.dataPlane().threads()).isEqualTo(3);
        assertThat(system.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(args.dataPlane().reusePort()).isTrue();
        assertThat(filesOnly.dataPlane().reusePort()).isFalse();
    }

    @Test
    void whatALocationCouldAddBeyondItsPlainFilesGivesUp(@TempDir Path config) throws IOException {
        Path dir = Files.createDirectories(config.resolve("dir"));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("optional:configtree:" + config + "/", "not a file: location");
        cases.put("optional:classpath:/custom/", "class path");
        cases.put("classpath:/", "class path");
        cases.put("optional:file:" + config + "/*/", "not a plain location");
        cases.put("optional:file:${HOME}/", "not a plain location");
        cases.put("optional:file:" + config + "/site.json", "not a .properties");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThat(early(new String[] {"--spring.config.additional-location=" + c.getKey()}, system(), Map.of())
                            .gaveUp())
                    .as(c.getKey())
                    .contains(c.getValue());
        }

        String[] args = {"--spring.config.additional-location=optional:" + location(dir)};
        Map<String, String> files = new LinkedHashMap<>();
        files.put("application.yml", "spring.config.import: optional:file:/etc/x.yml\n");
        files.put("application.yaml", "spring:\n  config:\n    activate:\n      on-profile: prod\n");
        files.put("application.properties", "spring.profiles.active=prod\n");
        files.put("application-default.yml", "gatehouse.dataplane.threads: 2\n");
        files.put("application.xml", "<properties/>");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.writeString(file, f.getValue());
            assertThat(early(args, system(), Map.of()).gaveUp()).as(f.getKey()).isNotNull();
            Files.delete(file);
        }
        Files.writeString(
                dir.resolve("application.yml"),
                "gatehouse.dataplane.threads: 2\n---\ngatehouse.dataplane.threads: 3\n");
        assertThat(early(args, system(), Map.of()).gaveUp()).contains("2 documents");
        Files.writeString(dir.resolve("application.yml"), "gatehouse: [unclosed\n");
        assertThat(early(args, system(), Map.of()).gaveUp()).contains("does not read");
        Files.delete(dir.resolve("application.yml"));

        Path file = config.resolve("site.yml");
        Files.writeString(file, "gatehouse.dataplane.threads: 2\n");
        Files.writeString(config.resolve("site-default.yml"), "gatehouse.dataplane.threads: 3\n");
        assertThat(early(new String[] {"--spring.config.location=" + location(file)}, system(), Map.of())
                        .gaveUp())
                .contains("site-default.yml exists");
        assertThat(early(args, system(), Map.of()).gaveUp()).isNull();
    }
}
