package dev.gatehouse.gateway.replicas;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The registered instances; liveness is judged by the database's clock. */
interface InstanceRepository extends JpaRepository<InstanceEntity, String> {

    /** The driver's type for it differs (Instant on PostgreSQL, OffsetDateTime on H2); see {@link Instances}. */
    @Query(value = "select current_timestamp", nativeQuery = true)
    Object databaseNow();

    @Query("select i from InstanceEntity i where i.heartbeatAt > :cutoff order by i.id")
    List<InstanceEntity> liveSince(@Param("cutoff") Instant cutoff);

    @Modifying
    @Query("update InstanceEntity i set i.heartbeatAt = :now where i.id = :id")
    int heartbeat(@Param("id") String id, @Param("now") Instant now);

    @Modifying
    @Query("delete from InstanceEntity i where i.heartbeatAt < :cutoff")
    int forgetSilentSince(@Param("cutoff") Instant cutoff);
}
