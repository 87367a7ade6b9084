package dev.gatehouse.arm;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells, by walking a failure's cause chain, a database that cannot be reached (stopped, restarting, network
 * gone) from a database that is reachable but whose connections are all busy for longer than
 * {@code spring.datasource.hikari.connection-timeout} (a burst of writes), and both from every other failure.
 * Both are transient: the API answers 503 or 429 with {@code Retry-After} and the caller retries.
 */
public final class DatabaseOutages {

    /** What a failure says about the database. */
    public enum Kind {
        /** The database cannot be reached. */
        UNREACHABLE,
        /** No pooled connection became free in time, while the database itself answers. */
        BUSY,
        /** Anything else. */
        OTHER
    }

    /**
     * SQLSTATEs that mean "no usable connection": class 08 (connection exception) and PostgreSQL's
     * admin_shutdown, crash_shutdown and cannot_connect_now (57P01-57P03).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutages() {
    }

    public static Kind classify(Throwable failure) {
        boolean poolTimeout = false;
        boolean poolTimeoutWithCause = false;
        boolean resourceFailure = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return Kind.UNREACHABLE;
            }
            if (t instanceof SQLTransientConnectionException) {
                // Hikari's timeout carries the last failure to open a connection as its cause; none: all were busy.
                poolTimeout = true;
                poolTimeoutWithCause |= t.getCause() != null;
            }
            resourceFailure |= t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException;
        }
        if (poolTimeout) {
            return poolTimeoutWithCause ? Kind.UNREACHABLE : Kind.BUSY;
        }
        return resourceFailure ? Kind.UNREACHABLE : Kind.OTHER;
    }

    /** Whether {@code failure} or one of its causes says the database cannot be reached. */
    public static boolean isOutage(Throwable failure) {
        return classify(failure) == Kind.UNREACHABLE;
    }
}
