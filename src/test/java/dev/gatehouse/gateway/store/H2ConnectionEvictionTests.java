package dev.gatehouse.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import java.sql.SQLException;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;

class H2ConnectionEvictionTests {

    private final H2ConnectionEviction eviction = new H2ConnectionEviction();

    @Test
    void aConnectionWhoseDatabaseClosedOrWhoseStoreFailedIsDropped() {
        assertThat(eviction.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(Override.MUST_EVICT);
        assertThat(eviction.adjudicate(new SQLException(
                        "General error", "HY000", 50000, new MVStoreException(2, "Writing to FileChannel failed"))))
                .isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void aLockTimeoutLeavesTheConnectionInThePoolThoughItsCauseIsAStoreException() {
        // Evicting it would fail the rollback, and the caller would be told the database is gone (503) under a burst.
        assertThat(eviction.adjudicate(new SQLException(
                        "Timeout trying to lock table",
                        "HYT00",
                        50200,
                        new MVStoreException(101, "Map entry <table.8> with key <29> is locked"))))
                .isEqualTo(Override.CONTINUE_EVICT);
    }
}
