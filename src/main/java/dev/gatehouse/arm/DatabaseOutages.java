package dev.gatehouse.arm;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure caused by the configuration database being unreachable (stopped, restarting, network gone,
 * no pooled connection within {@code spring.datasource.hikari.connection-timeout}) from every other failure,
 * by walking the cause chain. Such a failure is transient: the API answers 503 and the caller retries.
 */
public final class DatabaseOutages {

    /**
     * SQLSTATEs that mean "no usable connection": class 08 (connection exception) and PostgreSQL's
     * admin_shutdown, crash_shutdown and cannot_connect_now (57P01-57P03).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutages() {
    }

    /** Whether {@code failure} or one of its causes says the database cannot be reached. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
