package dev.gatehouse.arm;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells, by walking a failure's cause chain, a database that cannot be reached (stopped, restarting, network
 * gone), a database whose disk is full, and a database that is reachable but busy: its connections all taken for
 * longer than {@code spring.datasource.hikari.connection-timeout}, or a row lock held by concurrent writes to the
 * same gateway for longer than the database's lock timeout (a burst of writes); and all of them from every other
 * failure. All are transient: the API answers 503 or 429 with {@code Retry-After} and the caller retries.
 */
public final class DatabaseOutages {

    /** What a failure says about the database. */
    public enum Kind {
        /** The database cannot be reached. */
        UNREACHABLE,
        /** The database could not write: the disk that holds it is full. */
        FULL,
        /** No pooled connection, or no row lock, became free in time, while the database itself answers. */
        BUSY,
        /** Anything else. */
        OTHER
    }

    /**
     * SQLSTATEs that mean "no usable connection": class 08 (connection exception) and PostgreSQL's
     * admin_shutdown, crash_shutdown and cannot_connect_now (57P01-57P03).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");
    /** PostgreSQL's disk_full: it could not extend a file. */
    private static final String DISK_FULL = "53100";
    /**
     * A lock wait that passed the database's lock timeout: H2's LOCK_TIMEOUT_1 (its {@code LOCK_TIMEOUT}, 2 s by
     * default) and PostgreSQL's lock_not_available (with {@code lock_timeout} set).
     */
    private static final Set<String> LOCK_TIMEOUT_STATES = Set.of("HYT00", "55P03");
    /** H2's "The database has been closed". */
    private static final String DATABASE_CLOSED = "90098";
    /** Hikari's failure for any call on a connection it has marked broken. */
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";
    /** The text of ENOSPC in the JDK's IOException (Linux, macOS). */
    private static final String NO_SPACE = "No space left on device";

    private DatabaseOutages() {}

    public static Kind classify(Throwable failure) {
        boolean poolTimeout = false;
        boolean poolTimeoutWithCause = false;
        boolean resourceFailure = false;
        boolean lockTimeout = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io
                    && io.getMessage() != null
                    && io.getMessage().contains(NO_SPACE)) {
                return Kind.FULL;
            }
            if (t instanceof SQLException sql && DISK_FULL.equals(sql.getSQLState())) {
                return Kind.FULL;
            }
            if (t instanceof SQLException sql
                    && (DATABASE_CLOSED.equals(sql.getSQLState()) || POOL_CLOSED_CONNECTION.equals(sql.getMessage()))) {
                // H2 after a failed write, or a connection the pool already dropped as broken (the rollback after
                // a connection failure then fails with this, and Spring throws the rollback's failure instead)
                return Kind.UNREACHABLE;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return Kind.UNREACHABLE;
            }
            lockTimeout |= t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && LOCK_TIMEOUT_STATES.contains(sql.getSQLState());
            if (t instanceof SQLTransientConnectionException) {
                // Hikari's timeout carries the last failure to open a connection as its cause; none: all were busy.
                poolTimeout = true;
                poolTimeoutWithCause |= t.getCause() != null;
            }
            resourceFailure |=
                    t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException;
        }
        if (poolTimeout) {
            return poolTimeoutWithCause ? Kind.UNREACHABLE : Kind.BUSY;
        }
        if (lockTimeout) {
            return Kind.BUSY;
        }
        return resourceFailure ? Kind.UNREACHABLE : Kind.OTHER;
    }

    /** Whether {@code failure} or one of its causes says the database cannot be reached or cannot write. */
    public static boolean isOutage(Throwable failure) {
        Kind kind = classify(failure);
        return kind == Kind.UNREACHABLE || kind == Kind.FULL;
    }
}
