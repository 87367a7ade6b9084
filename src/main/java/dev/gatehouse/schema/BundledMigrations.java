package dev.gatehouse.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The versioned migrations the jar bundles under {@code classpath:db/migration}, each as Flyway records it in its
 * schema history: version, description, script and checksum.
 */
final class BundledMigrations {

    /** Flyway's default location, the only one the fast check knows. */
    static final String LOCATION = "classpath:db/migration";

    // Everything under the location in every class-path root, as Flyway scans it (subfolders included).
    private static final String PATTERN = "classpath*:db/migration/**/*";
    private static final String ROOT = "db/migration/";
    // Flyway's default naming: prefix V, separator __, suffix .sql; the version's _ reads as a dot.
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

    private BundledMigrations() {}

    /**
     * Lists the bundled migrations in version order.
     *
     * @throws NotOnlyVersionedSql when the location holds anything Flyway would treat otherwise (a repeatable or
     *     callback script, a class, a subfolder, another file, two scripts of one version): the fast check then
     *     leaves the decision to Flyway
     */
    static List<Migration> list(ResourcePatternResolver resolver) throws NotOnlyVersionedSql {
        Resource[] resources;
        try {
            resources = resolver.getResources(PATTERN);
        } catch (IOException e) {
            throw new NotOnlyVersionedSql("cannot list " + LOCATION + " (" + e.getMessage() + ")");
        }
        List<Migration> migrations = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        for (Resource resource : resources) {
            String name = relativeName(resource);
            if (name.isEmpty() || name.endsWith("/")) {
                continue; // a folder entry of a jar
            }
            Matcher m = VERSIONED.matcher(name);
            if (!m.matches()) {
                throw new NotOnlyVersionedSql(LOCATION + " holds " + name + ", not a versioned SQL migration");
            }
            String version = m.group(1).replace('_', '.');
            if (!versions.add(version)) {
                throw new NotOnlyVersionedSql(LOCATION + " holds two scripts of version " + version);
            }
            migrations.add(new Migration(version, m.group(2).replace('_', ' '), name, checksum(resource)));
        }
        migrations.sort(Comparator.comparing(Migration::version, BundledMigrations::compareVersions));
        return migrations;
    }

    /**
     * Flyway 11's checksum of a script ({@code ChecksumCalculator}): CRC-32 over the UTF-8 bytes of its lines without
     * their line breaks, a byte-order mark removed from the first line, as a signed int.
     */
    static int checksum(Resource script) {
        CRC32 crc = new CRC32();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8), 4096)) {
            String line = reader.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script.getDescription(), e);
        }
        return (int) crc.getValue();
    }

    private static String relativeName(Resource resource) {
        String url;
        try {
            url = resource.getURL().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = url.lastIndexOf(ROOT);
        return at < 0 ? url : url.substring(at + ROOT.length());
    }

    // Numerically part by part, as Flyway orders versions (1.10 after 1.9).
    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = new BigInteger(i < x.length ? x[i] : "0").compareTo(new BigInteger(i < y.length ? y[i] : "0"));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** One bundled script as Flyway records it when it applies it. */
    record Migration(String version, String description, String script, int checksum) {}

    /** The location holds something only Flyway should judge. */
    static final class NotOnlyVersionedSql extends Exception {
        NotOnlyVersionedSql(String reason) {
            super(reason, null, false, false);
        }
    }
}
