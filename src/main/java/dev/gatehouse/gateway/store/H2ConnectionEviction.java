package dev.gatehouse.gateway.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop an H2 connection whose database closed under it. H2 closes an embedded
 * database when a write to its file fails (a full disk): every open connection then answers "The database has
 * been closed" for ever, while a new connection opens the file again, reads, and writes once there is room. Without
 * this the pool would keep handing out the dead connections until a restart. Named by
 * {@code spring.datasource.hikari.exception-override-class-name}; other databases' errors are left to Hikari.
 */
public final class H2ConnectionEviction implements SQLExceptionOverride {

    /** H2's DATABASE_IS_CLOSED. */
    private static final int DATABASE_IS_CLOSED = 90098;

    /** H2's LOCK_TIMEOUT_1: a row lock waited for too long; its cause is an MVStoreException too. */
    private static final int LOCK_TIMEOUT = 50200;

    private static final String STORE_FAILURE = "org.h2.mvstore.MVStoreException";

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        if (e.getErrorCode() == DATABASE_IS_CLOSED
                && String.valueOf(DATABASE_IS_CLOSED).equals(e.getSQLState())) {
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
        if (e.getErrorCode() == LOCK_TIMEOUT) {
            // Contention, not a broken store: evicting would fail the rollback and turn a busy answer into an outage.
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals(STORE_FAILURE)) {
                return SQLExceptionOverride.Override.MUST_EVICT;
            }
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
