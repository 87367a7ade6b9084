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
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.UrlResource;

/**
 * The settings a start can read before Spring Boot builds its {@code Environment}: the command line
 * ({@code --name=value}), system properties, environment variables (Boot's relaxed names, e.g.
 * {@code GATEHOUSE_RESTORE_DIRECTORY} for {@code gatehouse.restore.directory}) and the jar's own
 * {@code application.yml} as the defaults it is, in that order of precedence, bound with Boot's own {@link Binder}.
 * <p>It follows {@code spring.config.location} (which replaces Boot's default locations) and
 * {@code spring.config.additional-location} (read after them, so winning over them) as Boot does when every entry is a
 * plain {@code file:} directory (ending in "/": its {@code application.{properties,yml,yaml}}, .properties winning)
 * or file, or one of Boot's own class path locations, {@code optional:} or not; a later entry wins over an earlier
 * one, and all stay below the command line, system properties and the environment. The files are read with Boot's
 * own loaders.
 * <p>It gives up ({@link #gaveUp()} says why) wherever Boot's configuration could hold more than these sources: an
 * {@code application[-default].{properties,xml,yml,yaml}} in the working directory, in {@code ./config/} or its
 * sub-directories (unless {@code spring.config.location} replaces them), or on the class path beside the jar's own;
 * any other location (class path, {@code configtree:}, wildcards, placeholders, a missing one without
 * {@code optional:}, an unreadable file); a profile-specific file beside a location's ({@code -default}, the profile
 * active without {@code spring.profiles.*}); a file of several documents; or any other {@code spring.config.*}
 * (such as {@code spring.config.import}), {@code spring.profiles.*} or {@code spring.application.json} setting
 * (SPRING_APPLICATION_JSON included), wherever it is set. A start that gives up reads its settings from Boot's
 * Environment as before; one that does not is still checked against it ({@link RestoreInputs}), so the real
 * configuration has the last word either way.
 */
final class EarlyEnvironment {

    /** The jar's own defaults, on the class path beside this class. */
    private static final String DEFAULTS = "application.yml";

    private static final List<String> CONFIG_NAMES = List.of("application", "application-default");
    /** Every extension Boot reads (".xml" as properties), to give up on. */
    private static final List<String> CONFIG_EXTENSIONS = List.of(".properties", ".xml", ".yml", ".yaml");
    /** The extensions read, lowest precedence first: Boot's .properties wins over YAML in one location. */
    private static final List<String> READ_EXTENSIONS = List.of(".yaml", ".yml", ".properties");

    private static final String LOCATION = "spring.config.location";
    private static final String ADDITIONAL_LOCATION = "spring.config.additional-location";
    private static final String OPTIONAL = "optional:";

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
        String reason = directingSetting(sources, true);
        List<PropertySource<?>> files = new ArrayList<>();
        if (reason == null) {
            Binder settings = new Binder(ConfigurationPropertySources.from(sources));
            String[] location = settings.bind(LOCATION, String[].class).orElse(null);
            String[] additional =
                    settings.bind(ADDITIONAL_LOCATION, String[].class).orElse(new String[0]);
            if (location == null) {
                reason = configFileIn(workingDirectory);
                if (reason == null) {
                    reason = configFileOn(classPath, ownRoot, List.of("", "config/"), files);
                }
            } else {
                reason = locations(LOCATION, location, workingDirectory, classPath, ownRoot, files);
            }
            if (reason == null) {
                reason = locations(ADDITIONAL_LOCATION, additional, workingDirectory, classPath, ownRoot, files);
            }
        }
        if (reason == null) {
            MutablePropertySources read = new MutablePropertySources();
            // Read lowest first; a later one is searched first, as Boot's are.
            for (int i = files.size() - 1; i >= 0; i--) {
                read.addLast(files.get(i));
                sources.addLast(files.get(i));
            }
            reason = directingSetting(read, false);
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

    /**
     * A setting that makes Boot read other configuration (relaxed names: SPRING_PROFILES_ACTIVE as well); with
     * {@code locationsFollowed}, {@value #LOCATION} and {@value #ADDITIONAL_LOCATION} are not, {@link #locations}
     * follows them.
     */
    private static String directingSetting(MutablePropertySources sources, boolean locationsFollowed) {
        for (PropertySource<?> source : sources) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    String relaxed = name.toLowerCase(Locale.ROOT).replace('_', '.');
                    String undashed = relaxed.replace("-", "");
                    if (locationsFollowed
                            && (undashed.equals(LOCATION) || undashed.equals(ADDITIONAL_LOCATION.replace("-", "")))) {
                        continue;
                    }
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
    private static String configFileOn(
            ClassLoader classPath, String ownRoot, List<String> directories, List<PropertySource<?>> files) {
        for (String directory : directories) {
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
                            files.add(defaults(url));
                        }
                    } catch (IOException | UncheckedIOException e) {
                        return "classpath:" + resource + " does not read (" + e + ")";
                    }
                }
            }
        }
        return null;
    }

    /**
     * The files of {@code property}'s {@code entries} (Boot's order: a later entry wins) added to {@code files}, or
     * why not: only {@code file:} directories (ending in "/") and files ({@code .properties}, {@code .yml},
     * {@code .yaml}) and Boot's own class path locations are followed, with or without {@code optional:}.
     */
    private static String locations(
            String property,
            String[] entries,
            Path workingDirectory,
            ClassLoader classPath,
            String ownRoot,
            List<PropertySource<?>> files) {
        for (String entry : entries) {
            String location = entry.trim();
            if (location.isEmpty()) {
                continue;
            }
            String why = property + "=" + location;
            boolean optional = location.startsWith(OPTIONAL);
            String path = optional ? location.substring(OPTIONAL.length()) : location;
            if (path.contains("*") || path.contains(";") || path.contains("[") || path.contains("${")) {
                return why + " is not a plain location";
            }
            if (path.startsWith("classpath:")) {
                String directory = path.substring("classpath:".length()).replaceFirst("^/+", "");
                if (!optional || !(directory.isEmpty() || directory.equals("config/"))) {
                    return why + " is not one of Boot's optional class path locations";
                }
                String reason = configFileOn(classPath, ownRoot, List.of(directory), files);
                if (reason != null) {
                    return reason;
                }
                continue;
            }
            if (!path.startsWith("file:") || path.length() == "file:".length()) {
                return why + " is not a file: location";
            }
            String reason = path.endsWith("/")
                    ? directory(workingDirectory.resolve(path.substring("file:".length())), optional, files)
                    : file(workingDirectory.resolve(path.substring("file:".length())), optional, files);
            if (reason != null) {
                return why + ": " + reason;
            }
        }
        return null;
    }

    /** A directory location's application.{yaml,yml,properties}, or why not. */
    private static String directory(Path directory, boolean optional, List<PropertySource<?>> files) {
        if (!Files.isDirectory(directory)) {
            return optional && !Files.exists(directory) ? null : directory + " is not a directory";
        }
        List<Path> others = new ArrayList<>(List.of(directory.resolve("application.xml")));
        for (String extension : CONFIG_EXTENSIONS) {
            others.add(directory.resolve("application-default" + extension));
        }
        for (Path other : others) {
            if (Files.exists(other)) {
                return other + " exists";
            }
        }
        for (String extension : READ_EXTENSIONS) {
            Path file = directory.resolve("application" + extension);
            if (Files.exists(file)) {
                String reason = load(file, extension, files);
                if (reason != null) {
                    return reason;
                }
            }
        }
        return null;
    }

    /** A file location, or why not. */
    private static String file(Path file, boolean optional, List<PropertySource<?>> files) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot);
        if (!READ_EXTENSIONS.contains(extension)) {
            return "not a .properties, .yml or .yaml file";
        }
        if (!Files.exists(file)) {
            return optional ? null : file + " does not exist";
        }
        // Boot reads <name>-<profile>.<extension> beside it too, for the default profile as for any other.
        for (String profiled : CONFIG_EXTENSIONS) {
            Path other = file.resolveSibling(name.substring(0, dot) + "-default" + profiled);
            if (Files.exists(other)) {
                return other + " exists";
            }
        }
        return load(file, extension, files);
    }

    /** One file with Boot's own loader, if it holds one document (another could depend on a profile). */
    private static String load(Path file, String extension, List<PropertySource<?>> files) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return file + " is not a readable file";
        }
        PropertySourceLoader loader =
                extension.equals(".properties") ? new PropertiesPropertySourceLoader() : new YamlPropertySourceLoader();
        try {
            List<PropertySource<?>> documents =
                    loader.load("Config resource 'file [" + file + "]'", new FileSystemResource(file));
            if (documents.size() > 1) {
                return file + " holds " + documents.size() + " documents";
            }
            files.addAll(documents);
            return null;
        } catch (IOException | RuntimeException e) {
            return file + " does not read (" + e + ")";
        }
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
