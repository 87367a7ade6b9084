package dev.gatehouse.schema;

import dev.gatehouse.schema.BundledMigrations.Migration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Flyway's schema history table, read with one query and compared with the bundled migrations. Current means: the
 * rows are exactly the bundled versioned migrations in version order (after Flyway's own rows for creating the table
 * and the schema, {@code TABLE} and {@code SCHEMA}, when there are any),
 * each successful, with the version, description, script, type {@code SQL} and checksum Flyway would record for it.
 * Anything else, an unreadable table included, is for Flyway to judge.
 */
final class SchemaHistory {

    // The databases whose identifier quoting (double quotes, doubled inside) is Flyway's too.
    private static final Set<String> KNOWN_DATABASES = Set.of("H2", "PostgreSQL");
    // Table or schema missing: H2 (42S02-42S04, 90079), PostgreSQL (42P01, 3F000).
    private static final Set<String> MISSING = Set.of("42S02", "42S03", "42S04", "90079", "42P01", "3F000");
    // The rows Flyway writes when it creates the history table and the schemas, before any migration.
    private static final Set<String> BOOKKEEPING = Set.of("TABLE", "SCHEMA");

    private SchemaHistory() {}

    /**
     * Why Flyway must run, or empty when the history proves the schema current.
     *
     * @param schema the schema Flyway keeps its history in ({@code spring.flyway.default-schema}, else the first of
     *     {@code spring.flyway.schemas}), or null for the connection's current schema, as Flyway does
     * @param table Flyway's history table ({@code spring.flyway.table})
     */
    static Optional<String> whyFlywayIsNeeded(
            DataSource dataSource, String schema, String table, List<Migration> bundled) {
        if (bundled.isEmpty()) {
            return Optional.of(BundledMigrations.LOCATION + " holds no migration");
        }
        String qualified = null;
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (!KNOWN_DATABASES.contains(product)) {
                return Optional.of("the fast check does not know " + product);
            }
            String inSchema = schema != null ? schema : connection.getSchema();
            if (inSchema == null) {
                return Optional.of("the connection has no current schema");
            }
            qualified = quote(inSchema) + "." + quote(table);
            return compare(read(connection, qualified), bundled);
        } catch (SQLException e) {
            if (qualified != null && MISSING.contains(e.getSQLState())) {
                return Optional.of("no schema history " + qualified);
            }
            return Optional.of("schema history " + (qualified == null ? "" : qualified + " ") + "not readable ("
                    + firstLine(e.getMessage()) + ")");
        }
    }

    private static List<Entry> read(Connection connection, String qualified) throws SQLException {
        String sql = "select \"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                + " \"success\" from " + qualified + " order by \"installed_rank\"";
        List<Entry> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                int checksum = rs.getInt(6);
                Integer recorded = rs.wasNull() ? null : checksum;
                rows.add(new Entry(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        recorded,
                        rs.getBoolean(7)));
            }
        }
        return rows;
    }

    private static Optional<String> compare(List<Entry> rows, List<Migration> bundled) {
        int first = 0;
        while (first < rows.size() && rows.get(first).bookkeeping()) {
            first++;
        }
        String applied = "nothing applied";
        for (int i = 0; i < bundled.size(); i++) {
            Migration migration = bundled.get(i);
            if (first + i >= rows.size()) {
                return Optional.of("V" + migration.version() + " not applied (" + applied + ")");
            }
            Optional<String> difference = rows.get(first + i).differenceFrom(migration);
            if (difference.isPresent()) {
                return Optional.of("history row " + (first + i + 1) + " is not " + migration.script() + " as bundled ("
                        + difference.get() + ")");
            }
            applied = "at V" + migration.version();
        }
        if (rows.size() > first + bundled.size()) {
            Entry extra = rows.get(first + bundled.size());
            return Optional.of("history holds " + extra.type() + " " + extra.version() + ", which this jar does not");
        }
        return Optional.empty();
    }

    // Flyway's quoting on H2 and PostgreSQL.
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private record Entry(
            String version, String description, String type, String script, Integer checksum, boolean success) {

        boolean bookkeeping() {
            return success && version == null && BOOKKEEPING.contains(type);
        }

        Optional<String> differenceFrom(Migration migration) {
            if (!success) {
                return Optional.of("failed");
            }
            if (!"SQL".equals(type) || !migration.version().equals(version)) {
                return Optional.of(type + " " + version);
            }
            if (!migration.description().equals(description)
                    || !migration.script().equals(script)) {
                return Optional.of(script + ": " + description);
            }
            if (!Objects.equals(migration.checksum(), checksum)) {
                return Optional.of("checksum " + checksum + ", bundled " + migration.checksum());
            }
            return Optional.empty();
        }
    }
}
