package dev.gatehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.schema.BundledMigrations.Migration;
import dev.gatehouse.schema.BundledMigrations.NotOnlyVersionedSql;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

class BundledMigrationsTests {

    @Test
    void everyBundledScriptIsListedAsFlywayRecordsItWhenItAppliesIt() throws Exception {
        String url = "jdbc:h2:mem:bundled-migrations;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        List<Migration> recorded = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select \"version\", \"description\", \"script\", \"checksum\""
                        + " from \"flyway_schema_history\" where \"type\" = 'SQL' order by \"installed_rank\"")) {
            while (rs.next()) {
                recorded.add(new Migration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
            }
        }

        List<Migration> bundled = BundledMigrations.list(new PathMatchingResourcePatternResolver());

        assertThat(bundled).isEqualTo(recorded);
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(bundled).hasSize((int) scripts.count());
        }
    }

    @Test
    void checksumIgnoresLineBreaksAndAByteOrderMarkOnTheFirstLineOnly() {
        int plain = checksum("create table a (id int);\nselect 1;\n");

        assertThat(checksum("create table a (id int);\r\nselect 1;")).isEqualTo(plain);
        assertThat(checksum("\uFEFFcreate table a (id int);\rselect 1;\n")).isEqualTo(plain);
        assertThat(checksum("create table a (id int);\n\uFEFFselect 1;\n")).isNotEqualTo(plain);
        assertThat(checksum("create table a (id int);\nselect 2;\n")).isNotEqualTo(plain);
    }

    @Test
    void versionsAreOrderedNumericallyWithUnderscoresReadAsDots(@TempDir Path root) throws Exception {
        write(root, "V10__ten.sql", "V2__two.sql", "V2_1__two_and_a_bit.sql");

        assertThat(BundledMigrations.list(resolverOver(root)))
                .extracting(Migration::version, Migration::description)
                .containsExactly(tuple("2", "two"), tuple("2.1", "two and a bit"), tuple("10", "ten"));
    }

    @Test
    void anythingButVersionedSqlScriptsIsLeftToFlyway(@TempDir Path root) throws Exception {
        write(root, "V1__one.sql", "R__view.sql");
        assertThatThrownBy(() -> BundledMigrations.list(resolverOver(root)))
                .isInstanceOf(NotOnlyVersionedSql.class)
                .hasMessageContaining("R__view.sql");

        Files.delete(root.resolve("db/migration/R__view.sql"));
        write(root, "more/V2__two.sql");
        assertThatThrownBy(() -> BundledMigrations.list(resolverOver(root)))
                .isInstanceOf(NotOnlyVersionedSql.class)
                .hasMessageContaining("more/V2__two.sql");

        Files.delete(root.resolve("db/migration/more/V2__two.sql"));
        write(root, "V1__again.sql");
        assertThatThrownBy(() -> BundledMigrations.list(resolverOver(root)))
                .isInstanceOf(NotOnlyVersionedSql.class)
                .hasMessageContaining("two scripts of version 1");
    }

    private static int checksum(String text) {
        return BundledMigrations.checksum(new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(Path root, String... names) throws IOException {
        for (String name : names) {
            Path file = root.resolve("db/migration").resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "select 1;\n");
        }
    }

    // Sees only the given folder, not the application's own db/migration.
    private static PathMatchingResourcePatternResolver resolverOver(Path root) throws IOException {
        URL url = root.toUri().toURL();
        return new PathMatchingResourcePatternResolver(new URLClassLoader(new URL[] {url}, null));
    }
}
