package dev.gatehouse.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseOutagesTests {

    @Test
    void aPoolTimeoutCausedByAFailedConnectionAnywhereInTheCauseChainIsAnOutage() {
        var refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        var timeout =
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001", refused);
        assertThat(DatabaseOutages.isOutage(new CannotCreateTransactionException("no tx", timeout)))
                .isTrue();
        assertThat(DatabaseOutages.isOutage(new IllegalStateException("wrapped", timeout)))
                .isTrue();
    }

    @Test
    void aPoolTimeoutWithEveryConnectionBusyIsLoadNotAnOutage() {
        var timeout = new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed "
                + "out after 2000ms (total=10, active=10, idle=0, waiting=190)");
        assertThat(DatabaseOutages.classify(new CannotCreateTransactionException("no tx", timeout)))
                .isEqualTo(DatabaseOutages.Kind.BUSY);
        assertThat(DatabaseOutages.isOutage(timeout)).isFalse();
    }

    @Test
    void connectionSqlStatesAndPostgresShutdownStatesAreOutages() {
        assertThat(DatabaseOutages.isOutage(new UncategorizedSQLException(
                        "select",
                        null,
                        new SQLException("An I/O error occurred while sending to the backend", "08006"))))
                .isTrue();
        assertThat(DatabaseOutages.isOutage(new RuntimeException(
                        new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseOutages.isOutage(
                        new RuntimeException(new SQLException("the database system is starting up", "57P03"))))
                .isTrue();
        assertThat(DatabaseOutages.isOutage(new DataAccessResourceFailureException("gone")))
                .isTrue();
    }

    @Test
    void aWriteThatFoundTheDiskFullIsFullAndTheClosedDatabaseItLeavesIsUnreachable() {
        var h2 = new SQLException(
                "General error: Writing to FileChannel failed",
                "HY000",
                50000,
                new RuntimeException("MVStoreException", new java.io.IOException("No space left on device")));
        assertThat(DatabaseOutages.classify(new UncategorizedSQLException("update", null, h2)))
                .isEqualTo(DatabaseOutages.Kind.FULL);
        assertThat(DatabaseOutages.classify(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(DatabaseOutages.Kind.UNREACHABLE);
        assertThat(DatabaseOutages.classify(new TransactionSystemException(
                        "Could not roll back JDBC transaction", new SQLException("Connection is closed"))))
                .isEqualTo(DatabaseOutages.Kind.UNREACHABLE);
    }

    @Test
    void postgresqlsDiskFullStateIsFull() {
        var pg = new SQLException("could not extend file \"base/16384/16397\": No space left on device", "53100");
        assertThat(DatabaseOutages.classify(new UncategorizedSQLException("insert", null, pg)))
                .isEqualTo(DatabaseOutages.Kind.FULL);
        assertThat(DatabaseOutages.isOutage(pg)).isTrue();
    }

    @Test
    void aLockWaitPastTheLockTimeoutIsLoadNotAnOutage() {
        var h2 = new SQLException(
                "Timeout trying to lock table \"APPLICATION_GATEWAY\"",
                "HYT00",
                50200,
                new RuntimeException("org.h2.mvstore.MVStoreException: Map entry <table.8> with key <29> is locked"));
        assertThat(DatabaseOutages.classify(new PessimisticLockingFailureException("lock", h2)))
                .isEqualTo(DatabaseOutages.Kind.BUSY);
        assertThat(DatabaseOutages.classify(new SQLException("canceling statement due to lock timeout", "55P03")))
                .isEqualTo(DatabaseOutages.Kind.BUSY);
        assertThat(DatabaseOutages.isOutage(h2)).isFalse();
        // A pool timeout has no SQLSTATE at all.
        assertThat(DatabaseOutages.classify(new SQLTransientConnectionException("Connection is not available")))
                .isEqualTo(DatabaseOutages.Kind.BUSY);
    }

    @Test
    void constraintViolationsAndProgrammingErrorsAreNotOutages() {
        assertThat(DatabaseOutages.isOutage(new DataIntegrityViolationException(
                        "duplicate key", new SQLException("duplicate key value violates unique constraint", "23505"))))
                .isFalse();
        assertThat(DatabaseOutages.isOutage(new SQLException("syntax error", "42601")))
                .isFalse();
        assertThat(DatabaseOutages.isOutage(new NullPointerException())).isFalse();
        assertThat(DatabaseOutages.isOutage(null)).isFalse();
    }
}
