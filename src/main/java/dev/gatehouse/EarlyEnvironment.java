package dev.gatehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.UrlResource;

/**
 * The settings a start can read before Spring Boot builds its {@code Environment}: the command line
 * ({@code --name=value}), system properties, environment variables (Boot's relaxed names, e.g.
 * {@code GATEHOUSE_RESTORE_DIRECTORY} for {@code gatehouse.restore.directory}) and the jar's own
 * {@code application.yml} as the defaults it is, in that order of precedence, bound with Boot's own {@link Binder}.
 * <p>It gives up ({@link #gaveUp()} says why) wherever Boot's configuration could hold more than these sources: an
 * {@code application[-default].{properties,yml,yaml}} in the working directory, in {@code ./config/} or its
 * sub-directories, or on the class path beside the jar's own; or any {@code spring.config.*},
 * {@code spring.profiles.*} or {@code spring.application.json} setting (SPRING_APPLICATION_JSON included). A start
 * that gives up reads its settings from Boot's Environment as before; one that does not is still checked against it
 * ({@link RestoreInputs}), so the real configuration has the last word either way.
 */
final class EarlyEnvironment {

    /** The jar's own defaults, on the class path beside this class. */
    private static final String DEFAULTS = "application.yml";

    private static final List<String> CONFIG_NAMES = List.of("application", "application-default");
    private static final List<String> CONFIG_EXTENSIONS = List.of(".properties", ".yml", ".yaml");

    private final Binder binder;
    private final String gaveUp;

    private EarlyEnvironment(Binder binder, String gaveUp) {
        this.binder = binder;
        this.gaveUp = gaveUp;
    }

    /** The process's own: its arguments, system properties, environment, working directory and class path. */
    static EarlyEnvironment of(String[] args) {
        return of(
                args,
                System.getProperties(),
                System.getenv(),
                Path.of("").toAbsolutePath(),
                EarlyEnvironment.class.getClassLoader(),
                ownClassPathRoot());
    }

    /**
     * The settings of {@code args}, {@code systemProperties} and {@code environment}, unless a config file in
     * {@code workingDirectory} or on {@code classPath} (other than {@code ownRoot}'s, read as defaults), or a setting
     * that directs Boot to other configuration, could add to them.
     */
    static EarlyEnvironment of(
            String[] args,
            Properties systemProperties,
            Map<String, String> environment,
            Path workingDirectory,
            ClassLoader classPath,
            String ownRoot) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new SimpleCommandLinePropertySource(args));
        sources.addLast(new PropertiesPropertySource(
                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, systemProperties));
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(environment)));
        String reason = configFileIn(workingDirectory);
        if (reason == null) {
            reason = configFileOn(classPath, ownRoot, sources);
        }
        if (reason == null) {
            reason = directingSetting(sources);
        }
        Binder binder = reason != null
                ? null
                : new Binder(
                        ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        return new EarlyEnvironment(binder, reason);
    }

    /** Why Boot's Environment must be waited for, or {@code null} when these settings are all there is. */
    String gaveUp() {
        return gaveUp;
    }

    /** The settings; only when it did not give up. */
    Binder binder() {
        if (binder == null) {
            throw new IllegalStateException("The early environment gave up: " + gaveUp);
        }
        return binder;
    }

    /** A setting that makes Boot read other configuration (relaxed names: SPRING_PROFILES_ACTIVE as well). */
    private static String directingSetting(MutablePropertySources sources) {
        for (PropertySource<?> source : sources) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    String relaxed = name.toLowerCase(Locale.ROOT).replace('_', '.');
                    if (relaxed.startsWith("spring.config.")
                            || relaxed.startsWith("spring.profiles.")
                            || relaxed.equals("spring.application.json")) {
                        return name + " is set (" + source.getName() + ")";
                    }
                }
            }
        }
        return null;
    }

    /** Boot's default file locations: ./ , ./config/ and ./config/{@literal *}/. */
    private static String configFileIn(Path workingDirectory) {
        List<Path> directories = new ArrayList<>(List.of(workingDirectory, workingDirectory.resolve("config")));
        Path config = workingDirectory.resolve("config");
        if (Files.isDirectory(config)) {
            try (var children = Files.newDirectoryStream(config, Files::isDirectory)) {
                children.forEach(directories::add);
            } catch (IOException e) {
                return "./config/ does not list (" + e + ")";
            }
        }
        for (Path directory : directories) {
            for (String name : CONFIG_NAMES) {
                for (String extension : CONFIG_EXTENSIONS) {
                    Path file = directory.resolve(name + extension);
                    if (Files.exists(file)) {
                        return file + " exists";
                    }
                }
            }
        }
        return null;
    }

    /**
     * Boot's class path locations (the root and config/): the jar's own {@value #DEFAULTS} is added to
     * {@code sources} as the defaults, any other file gives up.
     */
    private static String configFileOn(ClassLoader classPath, String ownRoot, MutablePropertySources sources) {
        for (String directory : List.of("", "config/")) {
            for (String name : CONFIG_NAMES) {
                for (String extension : CONFIG_EXTENSIONS) {
                    String resource = directory + name + extension;
                    try {
                        Enumeration<URL> found = classPath.getResources(resource);
                        while (found.hasMoreElements()) {
                            URL url = found.nextElement();
                            if (!resource.equals(DEFAULTS)
                                    || ownRoot == null
                                    || !url.toString().equals(ownRoot + DEFAULTS)) {
                                return "classpath:" + resource + " (" + url + ") exists";
                            }
                            sources.addLast(defaults(url));
                        }
                    } catch (IOException | UncheckedIOException e) {
                        return "classpath:" + resource + " does not read (" + e + ")";
                    }
                }
            }
        }
        return null;
    }

    /** The jar's own application.yml, one document (a second one could depend on a profile). */
    private static PropertySource<?> defaults(URL url) {
        try {
            List<PropertySource<?>> documents =
                    new YamlPropertySourceLoader().load("applicationConfig: [" + DEFAULTS + "]", new UrlResource(url));
            if (documents.size() > 1) {
                throw new UncheckedIOException(new IOException(DEFAULTS + " holds " + documents.size() + " documents"));
            }
            return documents.isEmpty() ? new MapPropertySource(DEFAULTS, Map.of()) : documents.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class-path root this class was loaded from, as a URL prefix, or {@code null} when it cannot tell. */
    private static String ownClassPathRoot() {
        String self = EarlyEnvironment.class.getName().replace('.', '/') + ".class";
        URL url = EarlyEnvironment.class.getClassLoader().getResource(self);
        if (url == null) {
            return null;
        }
        String text = url.toString();
        return text.endsWith(self) ? text.substring(0, text.length() - self.length()) : null;
    }
}
