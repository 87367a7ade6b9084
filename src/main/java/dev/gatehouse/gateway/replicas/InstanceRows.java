package dev.gatehouse.gateway.replicas;

import dev.gatehouse.arm.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of {@code gatehouse_instance}; liveness is judged by the database's clock. Joins the caller's transaction.
 */
@Repository
class InstanceRows {

    private final JdbcClient jdbc;

    InstanceRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The database's clock, which every instance's heartbeat is written and judged by. */
    Instant databaseNow() {
        return jdbc.sql("select current_timestamp")
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .single();
    }

    List<InstanceRow> liveSince(Instant cutoff) {
        return jdbc.sql("select id, host, started_at, heartbeat_at from gatehouse_instance "
                        + "where heartbeat_at > :cutoff order by id")
                .param("cutoff", Timestamps.utc(cutoff))
                .query((rs, n) -> new InstanceRow(
                        rs.getString("id"),
                        rs.getString("host"),
                        Timestamps.instant(rs, "started_at"),
                        Timestamps.instant(rs, "heartbeat_at")))
                .list();
    }

    void insert(InstanceRow row) {
        jdbc.sql("insert into gatehouse_instance (id, host, started_at, heartbeat_at) "
                        + "values (:id, :host, :startedAt, :heartbeatAt)")
                .param("id", row.id())
                .param("host", row.host())
                .param("startedAt", Timestamps.utc(row.startedAt()))
                .param("heartbeatAt", Timestamps.utc(row.heartbeatAt()))
                .update();
    }

    int heartbeat(String id, Instant now) {
        return jdbc.sql("update gatehouse_instance set heartbeat_at = :now where id = :id")
                .param("now", Timestamps.utc(now))
                .param("id", id)
                .update();
    }

    int delete(String id) {
        return jdbc.sql("delete from gatehouse_instance where id = :id")
                .param("id", id)
                .update();
    }

    int forgetSilentSince(Instant cutoff) {
        return jdbc.sql("delete from gatehouse_instance where heartbeat_at < :cutoff")
                .param("cutoff", Timestamps.utc(cutoff))
                .update();
    }
}
