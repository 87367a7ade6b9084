package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.ProvisioningState;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface GatewayRepository extends JpaRepository<GatewayEntity, Long> {

    Optional<GatewayEntity> findByResourceKey(String resourceKey);

    /** Reads the row and holds a write lock on it until the transaction ends: writes to one gateway queue here. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select g from GatewayEntity g where g.resourceKey = :key")
    Optional<GatewayEntity> lockByResourceKey(@Param("key") String resourceKey);

    List<GatewayEntity> findBySubscriptionKeyOrderByResourceKey(String subscriptionKey);

    List<GatewayEntity> findBySubscriptionKeyAndGroupKeyOrderByResourceKey(String subscriptionKey, String groupKey);

    @Query("select g.resourceKey from GatewayEntity g")
    List<String> findAllResourceKeys();

    @Query("select g.resourceKey from GatewayEntity g where g.provisioningState = :state")
    List<String> findResourceKeysByProvisioningState(@Param("state") ProvisioningState state);

    /** Every gateway's key and generation: what the change poll compares with what it saw last. */
    @Query("select g.resourceKey, g.generation from GatewayEntity g")
    List<Object[]> findAllGenerations();

    /**
     * Records the outcome of applying {@code generation}, unless a newer generation was stored since:
     * status never describes a document other than the current one. Does not change the etag or version.
     */
    @Modifying
    @Query("update GatewayEntity g set g.statusChangedAt = case when g.provisioningState = :state "
            + "then g.statusChangedAt else :now end, g.provisioningState = :state, g.provisioningError = :error, "
            + "g.appliedGeneration = :generation where g.resourceKey = :key and g.generation = :generation")
    int recordStatus(
            @Param("key") String resourceKey,
            @Param("generation") long generation,
            @Param("state") ProvisioningState state,
            @Param("error") String error,
            @Param("now") Instant now);

    @Modifying
    @Query("delete from GatewayEntity g where g.resourceKey = :key")
    int deleteByKey(@Param("key") String resourceKey);
}
