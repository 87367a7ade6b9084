package dev.gatehouse.gateway.replicas;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Each instance's outcome per gateway. */
interface InstanceStatusRepository extends JpaRepository<InstanceStatusEntity, InstanceStatusEntity.Key> {

    @Query("select s from InstanceStatusEntity s where s.key.resourceKey = :key order by s.key.instanceId")
    List<InstanceStatusEntity> forGateway(@Param("key") String resourceKey);

    @Query("select s from InstanceStatusEntity s where s.key.resourceKey in :keys")
    List<InstanceStatusEntity> forGateways(@Param("keys") Collection<String> resourceKeys);

    @Modifying
    @Query("delete from InstanceStatusEntity s where s.key.resourceKey = :key")
    int forgetGateway(@Param("key") String resourceKey);

    @Modifying
    @Query("delete from InstanceStatusEntity s where s.key.instanceId not in " + "(select i.id from InstanceEntity i)")
    int forgetUnknownInstances();
}
