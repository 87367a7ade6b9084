package dev.gatehouse.gateway.replicas;

import dev.gatehouse.arm.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of {@code gateway_instance_status}: each instance's outcome per gateway. Joins the caller's transaction. */
@Repository
class InstanceStatusRows {

    private static final String SELECT = "select resource_key, instance_id, applied_generation, provisioning_state, "
            + "provisioning_error, updated_at from gateway_instance_status";

    private final JdbcClient jdbc;

    InstanceStatusRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the instance's outcome for the gateway: updates its row, or inserts it when there is none. Only the
     * instance itself writes its rows (from its one reconciler thread), so no other insert of the same key races.
     */
    void save(InstanceStatusRow row) {
        int updated = jdbc.sql("update gateway_instance_status set applied_generation = :generation, "
                        + "provisioning_state = :state, provisioning_error = :error, updated_at = :updatedAt "
                        + "where resource_key = :key and instance_id = :instance")
                .param("generation", row.appliedGeneration())
                .param("state", row.provisioningState())
                .param("error", row.provisioningError(), Types.VARCHAR)
                .param("updatedAt", Timestamps.utc(row.updatedAt()))
                .param("key", row.resourceKey())
                .param("instance", row.instanceId())
                .update();
        if (updated == 0) {
            jdbc.sql("insert into gateway_instance_status (resource_key, instance_id, applied_generation, "
                            + "provisioning_state, provisioning_error, updated_at) "
                            + "values (:key, :instance, :generation, :state, :error, :updatedAt)")
                    .param("key", row.resourceKey())
                    .param("instance", row.instanceId())
                    .param("generation", row.appliedGeneration())
                    .param("state", row.provisioningState())
                    .param("error", row.provisioningError(), Types.VARCHAR)
                    .param("updatedAt", Timestamps.utc(row.updatedAt()))
                    .update();
        }
    }

    List<InstanceStatusRow> forGateway(String resourceKey) {
        return jdbc.sql(SELECT + " where resource_key = :key order by instance_id")
                .param("key", resourceKey)
                .query(InstanceStatusRows::row)
                .list();
    }

    /** The rows of every gateway in {@code resourceKeys}, which must not be empty. */
    List<InstanceStatusRow> forGateways(Collection<String> resourceKeys) {
        return jdbc.sql(SELECT + " where resource_key in (:keys)")
                .param("keys", resourceKeys)
                .query(InstanceStatusRows::row)
                .list();
    }

    int forgetGateway(String resourceKey) {
        return jdbc.sql("delete from gateway_instance_status where resource_key = :key")
                .param("key", resourceKey)
                .update();
    }

    int forgetUnknownInstances() {
        return jdbc.sql(
                        "delete from gateway_instance_status where instance_id not in (select id from gatehouse_instance)")
                .update();
    }

    private static InstanceStatusRow row(ResultSet rs, int rowNum) throws SQLException {
        return new InstanceStatusRow(
                rs.getString("resource_key"),
                rs.getString("instance_id"),
                rs.getLong("applied_generation"),
                rs.getString("provisioning_state"),
                rs.getString("provisioning_error"),
                Timestamps.instant(rs, "updated_at"));
    }
}
