package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.Timestamps;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The SQL of {@code application_gateway} (see {@code V1__application_gateway.sql}). Every method joins the
 * caller's transaction. Enums are stored by name; {@code version} is an optimistic lock that only whole-row
 * updates ({@link #update}) check and advance, as JPA's {@code @Version} did.
 */
@Repository
class GatewayRows {

    private static final String COLUMNS = "id, resource_key, subscription_key, group_key, subscription_id, "
            + "resource_group, name, document, etag, generation, provisioning_state, applied_generation, "
            + "provisioning_error, created_at, updated_at, operational_state, status_changed_at, version";
    private static final String SELECT = "select " + COLUMNS + " from application_gateway";

    private final JdbcClient jdbc;

    GatewayRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<GatewayRow> find(String resourceKey) {
        return jdbc.sql(SELECT + " where resource_key = :key")
                .param("key", resourceKey)
                .query(GatewayRows::row)
                .optional();
    }

    /**
     * Reads the row and holds a write lock on it until the transaction ends: writes to one gateway queue here.
     * Plain {@code FOR UPDATE} on both databases (H2 knows no {@code FOR NO KEY UPDATE}; no table references
     * this one, so on PostgreSQL the two lock the same writers out).
     */
    Optional<GatewayRow> lock(String resourceKey) {
        return jdbc.sql(SELECT + " where resource_key = :key for update")
                .param("key", resourceKey)
                .query(GatewayRows::row)
                .optional();
    }

    List<GatewayRow> inSubscription(String subscriptionKey) {
        return jdbc.sql(SELECT + " where subscription_key = :subscription order by resource_key")
                .param("subscription", subscriptionKey)
                .query(GatewayRows::row)
                .list();
    }

    List<GatewayRow> inGroup(String subscriptionKey, String groupKey) {
        return jdbc.sql(SELECT + " where subscription_key = :subscription and group_key = :group order by resource_key")
                .param("subscription", subscriptionKey)
                .param("group", groupKey)
                .query(GatewayRows::row)
                .list();
    }

    List<GatewayRow> all() {
        return jdbc.sql(SELECT + " order by resource_key")
                .query(GatewayRows::row)
                .list();
    }

    List<String> allKeys() {
        return jdbc.sql("select resource_key from application_gateway")
                .query(String.class)
                .list();
    }

    List<String> keysIn(ProvisioningState state) {
        return jdbc.sql("select resource_key from application_gateway where provisioning_state = :state")
                .param("state", state.name())
                .query(String.class)
                .list();
    }

    /** Every gateway's key and generation: what the change poll compares with what it saw last. */
    Map<String, Long> generations() {
        Map<String, Long> all = new HashMap<>();
        jdbc.sql("select resource_key, generation from application_gateway").query(rs -> {
            all.put(rs.getString(1), rs.getLong(2));
        });
        return all;
    }

    long count() {
        return jdbc.sql("select count(*) from application_gateway")
                .query(Long.class)
                .single();
    }

    /** Inserts a new row or updates a stored one ({@link #update}); returns it as stored. */
    GatewayRow save(GatewayRow row) {
        return row.id() == null ? insert(row) : update(row);
    }

    /** Inserts the row at version 0; returns it with its generated id. */
    GatewayRow insert(GatewayRow row) {
        KeyHolder keys = new GeneratedKeyHolder();
        bind(
                        jdbc.sql(
                                        "insert into application_gateway (resource_key, subscription_key, group_key, subscription_id, "
                                                + "resource_group, name, document, etag, generation, provisioning_state, "
                                                + "applied_generation, provisioning_error, created_at, updated_at, operational_state, "
                                                + "status_changed_at, version) values (:resourceKey, :subscriptionKey, :groupKey, "
                                                + ":subscriptionId, :resourceGroup, :name, :document, :etag, :generation, "
                                                + ":provisioningState, :appliedGeneration, :provisioningError, :createdAt, :updatedAt, "
                                                + ":operationalState, :statusChangedAt, 0)")
                                .param("resourceKey", row.resourceKey())
                                .param("subscriptionKey", row.subscriptionKey())
                                .param("groupKey", row.groupKey())
                                .param("subscriptionId", row.subscriptionId())
                                .param("resourceGroup", row.resourceGroup())
                                .param("name", row.name())
                                .param("createdAt", Timestamps.utc(row.createdAt())),
                        row)
                .update(keys, "id");
        return row.stored(keys.getKeyAs(Long.class), 0);
    }

    /**
     * Writes every mutable column of a row read in this transaction and advances its version; throws
     * {@link OptimisticLockingFailureException} when the row is gone or another write advanced its version since.
     */
    GatewayRow update(GatewayRow row) {
        int updated = bind(
                        jdbc.sql("update application_gateway set document = :document, etag = :etag, "
                                        + "generation = :generation, provisioning_state = :provisioningState, "
                                        + "applied_generation = :appliedGeneration, provisioning_error = :provisioningError, "
                                        + "updated_at = :updatedAt, operational_state = :operationalState, "
                                        + "status_changed_at = :statusChangedAt, version = version + 1 "
                                        + "where id = :id and version = :version")
                                .param("id", row.id())
                                .param("version", row.version()),
                        row)
                .update();
        if (updated == 0) {
            throw new OptimisticLockingFailureException("Gateway " + row.resourceKey() + " at version " + row.version()
                    + " was changed or deleted by another transaction");
        }
        return row.stored(row.id(), row.version() + 1);
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, GatewayRow row) {
        return sql.param("document", row.document())
                .param("etag", row.etag())
                .param("generation", row.generation())
                .param("provisioningState", row.provisioningState().name())
                .param("appliedGeneration", row.appliedGeneration(), Types.BIGINT)
                .param("provisioningError", row.provisioningError(), Types.VARCHAR)
                .param("updatedAt", Timestamps.utc(row.updatedAt()))
                .param("operationalState", row.operationalState().name())
                .param("statusChangedAt", Timestamps.utc(row.statusChangedAt()));
    }

    /**
     * Records the outcome of applying {@code generation}, unless a newer generation was stored since: status never
     * describes a document other than the current one. Does not change the etag or version.
     */
    int recordStatus(String resourceKey, long generation, ProvisioningState state, String error, Instant now) {
        return jdbc.sql("update application_gateway set status_changed_at = case when provisioning_state = :state "
                        + "then status_changed_at else :now end, provisioning_state = :state, "
                        + "provisioning_error = :error, applied_generation = :generation "
                        + "where resource_key = :key and generation = :generation")
                .param("key", resourceKey)
                .param("generation", generation)
                .param("state", state.name())
                .param("error", error, Types.VARCHAR)
                .param("now", Timestamps.utc(now))
                .update();
    }

    int delete(String resourceKey) {
        return jdbc.sql("delete from application_gateway where resource_key = :key")
                .param("key", resourceKey)
                .update();
    }

    private static GatewayRow row(ResultSet rs, int rowNum) throws SQLException {
        return new GatewayRow(
                rs.getLong("id"),
                rs.getString("resource_key"),
                rs.getString("subscription_key"),
                rs.getString("group_key"),
                rs.getString("subscription_id"),
                rs.getString("resource_group"),
                rs.getString("name"),
                rs.getString("document"),
                rs.getString("etag"),
                rs.getLong("generation"),
                ProvisioningState.valueOf(rs.getString("provisioning_state")),
                rs.getObject("applied_generation", Long.class),
                rs.getString("provisioning_error"),
                Timestamps.instant(rs, "created_at"),
                Timestamps.instant(rs, "updated_at"),
                OperationalState.valueOf(rs.getString("operational_state")),
                Timestamps.instant(rs, "status_changed_at"),
                rs.getLong("version"));
    }
}
