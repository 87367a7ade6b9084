package dev.gatehouse.arm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * How every table's {@code timestamp with time zone} columns are written and read: as UTC {@link OffsetDateTime}
 * (the type JDBC 4.2 maps to that SQL type, on H2 and PostgreSQL alike), {@link Instant} in the code. A typed
 * parameter, so a {@code null} needs no round trip to ask the driver for the column's type.
 */
public final class Timestamps {

    private Timestamps() {}

    /** {@code instant} as a statement parameter; {@code null} stays a (typed) SQL NULL. */
    public static SqlParameterValue utc(Instant instant) {
        return new SqlParameterValue(
                Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** The column's value as an instant; {@code null} for SQL NULL. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
