package dev.gatehouse.gateway.operations;

import dev.gatehouse.arm.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of {@code async_operation}. Every method joins the caller's transaction; enums are stored by name. */
@Repository
class AsyncOperationRows {

    private static final String SELECT = "select id, resource_key, subscription_key, resource_id, kind, generation, "
            + "status, error, start_time, end_time from async_operation";
    private static final String IN_PROGRESS = OperationStatus.InProgress.name();
    private static final String DELETE = AsyncOperation.Kind.Delete.name();

    private final JdbcClient jdbc;

    AsyncOperationRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AsyncOperationRow row) {
        jdbc.sql("insert into async_operation (id, resource_key, subscription_key, resource_id, kind, generation, "
                        + "status, error, start_time, end_time) values (:id, :resourceKey, :subscriptionKey, "
                        + ":resourceId, :kind, :generation, :status, :error, :startTime, :endTime)")
                .param("id", row.id())
                .param("resourceKey", row.resourceKey())
                .param("subscriptionKey", row.subscriptionKey())
                .param("resourceId", row.resourceId())
                .param("kind", row.kind().name())
                .param("generation", row.generation(), Types.BIGINT)
                .param("status", row.status().name())
                .param("error", row.error(), Types.VARCHAR)
                .param("startTime", Timestamps.utc(row.startTime()))
                .param("endTime", Timestamps.utc(row.endTime()))
                .update();
    }

    Optional<AsyncOperationRow> find(String id) {
        return jdbc.sql(SELECT + " where id = :id")
                .param("id", id)
                .query(AsyncOperationRows::row)
                .optional();
    }

    /**
     * Settles the gateway's pending writes up to {@code generation} with the outcome of applying it (a
     * generation that was skipped because a newer one arrived shares the newer one's outcome: documents are
     * whole, so the newer one contains it), and its pending deletes: a re-created gateway replaced them.
     */
    int settleApplied(String resourceKey, long generation, OperationStatus status, String error, Instant now) {
        return jdbc.sql("update async_operation set status = :status, error = :error, end_time = :now "
                        + "where resource_key = :key and status = :inProgress "
                        + "and (kind = :delete or generation <= :generation)")
                .param("status", status.name())
                .param("error", error, Types.VARCHAR)
                .param("now", Timestamps.utc(now))
                .param("key", resourceKey)
                .param("inProgress", IN_PROGRESS)
                .param("delete", DELETE)
                .param("generation", generation)
                .update();
    }

    /** Settles the gateway's pending deletes once the data plane no longer serves it. */
    int settleRemoved(String resourceKey, Instant now) {
        return jdbc.sql("update async_operation set status = :succeeded, end_time = :now "
                        + "where resource_key = :key and status = :inProgress and kind = :delete")
                .param("succeeded", OperationStatus.Succeeded.name())
                .param("now", Timestamps.utc(now))
                .param("key", resourceKey)
                .param("inProgress", IN_PROGRESS)
                .param("delete", DELETE)
                .update();
    }

    /** A deleted gateway's pending writes will never be applied: they end Canceled, with the reason. */
    int cancelWrites(String resourceKey, String error, Instant now) {
        return jdbc.sql("update async_operation set status = :canceled, error = :error, end_time = :now "
                        + "where resource_key = :key and status = :inProgress and kind <> :delete")
                .param("canceled", OperationStatus.Canceled.name())
                .param("error", error, Types.VARCHAR)
                .param("now", Timestamps.utc(now))
                .param("key", resourceKey)
                .param("inProgress", IN_PROGRESS)
                .param("delete", DELETE)
                .update();
    }

    List<String> pendingDeletes() {
        return jdbc.sql(
                        "select distinct resource_key from async_operation where status = :inProgress and kind = :delete")
                .param("inProgress", IN_PROGRESS)
                .param("delete", DELETE)
                .query(String.class)
                .list();
    }

    /** The 20 newest operations (start_time is indexed). */
    List<AsyncOperationRow> newest() {
        return jdbc.sql(SELECT + " order by start_time desc fetch first 20 rows only")
                .query(AsyncOperationRows::row)
                .list();
    }

    int purgeSettledBefore(Instant before) {
        return jdbc.sql("delete from async_operation where start_time < :before and status <> :inProgress")
                .param("before", Timestamps.utc(before))
                .param("inProgress", IN_PROGRESS)
                .update();
    }

    private static AsyncOperationRow row(ResultSet rs, int rowNum) throws SQLException {
        return new AsyncOperationRow(
                rs.getString("id"),
                rs.getString("resource_key"),
                rs.getString("subscription_key"),
                rs.getString("resource_id"),
                AsyncOperation.Kind.valueOf(rs.getString("kind")),
                rs.getObject("generation", Long.class),
                OperationStatus.valueOf(rs.getString("status")),
                rs.getString("error"),
                Timestamps.instant(rs, "start_time"),
                Timestamps.instant(rs, "end_time"));
    }
}
