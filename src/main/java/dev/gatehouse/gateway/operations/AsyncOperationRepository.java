package dev.gatehouse.gateway.operations;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AsyncOperationRepository extends JpaRepository<AsyncOperationEntity, String> {

    /**
     * Settles the gateway's pending writes up to {@code generation} with the outcome of applying it (a
     * generation that was skipped because a newer one arrived shares the newer one's outcome: documents are
     * whole, so the newer one contains it), and its pending deletes: a re-created gateway replaced them.
     */
    @Modifying
    @Query("update AsyncOperationEntity o set o.status = :status, o.error = :error, o.endTime = :now "
            + "where o.resourceKey = :key and o.status = InProgress "
            + "and (o.kind = Delete or o.generation <= :generation)")
    int settleApplied(
            @Param("key") String resourceKey,
            @Param("generation") long generation,
            @Param("status") OperationStatus status,
            @Param("error") String error,
            @Param("now") Instant now);

    /** Settles the gateway's pending deletes once the data plane no longer serves it. */
    @Modifying
    @Query("update AsyncOperationEntity o set o.status = Succeeded, o.endTime = :now "
            + "where o.resourceKey = :key and o.status = InProgress and o.kind = Delete")
    int settleRemoved(@Param("key") String resourceKey, @Param("now") Instant now);

    /** A deleted gateway's pending writes will never be applied: they end Canceled, with the reason. */
    @Modifying
    @Query("update AsyncOperationEntity o set o.status = Canceled, o.error = :error, o.endTime = :now "
            + "where o.resourceKey = :key and o.status = InProgress and o.kind <> Delete")
    int cancelWrites(@Param("key") String resourceKey, @Param("error") String error, @Param("now") Instant now);

    @Query("select distinct o.resourceKey from AsyncOperationEntity o where o.status = InProgress and o.kind = Delete")
    List<String> pendingDeletes();

    /** The 20 newest operations (start_time is indexed). */
    List<AsyncOperationEntity> findTop20ByOrderByStartTimeDesc();

    @Modifying
    @Query("delete from AsyncOperationEntity o where o.startTime < :before and o.status <> InProgress")
    int purgeSettledBefore(@Param("before") Instant before);
}
