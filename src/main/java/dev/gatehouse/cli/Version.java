package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code gatehouse version}: this build's version, from {@code META-INF/build-info.properties} (written by the
 * spring-boot-maven-plugin's build-info goal, the same file {@code /actuator/info} shows), else the jar manifest's
 * {@code Implementation-Version}, else {@code unknown}.
 */
final class Version {

    static final String BUILD_INFO = "META-INF/build-info.properties";
    static final String UNKNOWN = "unknown";

    private Version() {}

    /** This build's version, as found on the classpath that loaded the CLI. */
    static String current() {
        return of(Version.class.getClassLoader(), Version.class.getPackage().getImplementationVersion());
    }

    /** The {@code build.version} in {@code loader}'s build info, else {@code manifestVersion}, else "unknown". */
    static String of(ClassLoader loader, String manifestVersion) {
        String built = buildVersion(loader);
        if (built != null) {
            return built;
        }
        return manifestVersion == null || manifestVersion.isBlank() ? UNKNOWN : manifestVersion;
    }

    private static String buildVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(BUILD_INFO)) {
            if (in == null) {
                return null;
            }
            Properties info = new Properties();
            info.load(in);
            String version = info.getProperty("build.version");
            return version == null || version.isBlank() ? null : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILD_INFO, e);
        }
    }
}
