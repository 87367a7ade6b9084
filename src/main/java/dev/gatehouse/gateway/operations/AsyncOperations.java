package dev.gatehouse.gateway.operations;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ApiSettings;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.ProvisioningState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Owns the stored asynchronous operations: starts one per write, settles it when the apply's outcome is known,
 * answers the {@code Azure-AsyncOperation} URL, and forgets settled ones after the retention period. The
 * methods that start and settle operations join the caller's transaction (the write's, or the one recording an
 * apply), so an operation never exists without its write, nor a settled write with a pending operation.
 */
@Component
public class AsyncOperations {

    private static final Logger log = LoggerFactory.getLogger(AsyncOperations.class);
    private static final Duration MIN_RETENTION = Duration.ofHours(24);

    private final AsyncOperationRows rows;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration retention;

    AsyncOperations(
            AsyncOperationRows rows,
            JsonMapper json,
            PlatformTransactionManager transactions,
            Optional<Clock> clock,
            ApiSettings settings) {
        this.rows = rows;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock.orElse(Clock.systemUTC());
        Duration retention = settings.operationRetention();
        this.retention = retention.compareTo(MIN_RETENTION) < 0 ? MIN_RETENTION : retention;
    }

    /**
     * Starts an operation for {@code generation} of the gateway ({@code null} for a delete); settled at once when
     * {@code alreadyApplied} (a write that changed nothing of a generation that already serves). Returns its id.
     */
    public String start(GatewayKey key, AsyncOperation.Kind kind, Long generation, boolean alreadyApplied) {
        AsyncOperationRow op = AsyncOperationRow.started(key, kind, generation, clock.instant());
        if (alreadyApplied) {
            op = op.settled(OperationStatus.Succeeded, null, clock.instant());
        }
        rows.insert(op);
        return op.id();
    }

    /**
     * Settles the gateway's pending writes up to {@code generation} with the outcome of applying it, and its
     * pending deletes (a re-created gateway replaced them).
     */
    public void settleApplied(String resourceKey, long generation, ProvisioningState outcome, String errorJson) {
        OperationStatus status =
                outcome == ProvisioningState.Failed ? OperationStatus.Failed : OperationStatus.Succeeded;
        rows.settleApplied(resourceKey, generation, status, errorJson, clock.instant());
    }

    /** Settles the gateway's pending deletes: no instance serves it any more, or it was created again. */
    public void settleRemoved(String resourceKey) {
        rows.settleRemoved(resourceKey, clock.instant());
    }

    /** Ends a deleted gateway's pending writes as Canceled with {@code reason}: they will never be applied. */
    public void cancelWrites(String resourceKey, ApiError reason) {
        rows.cancelWrites(resourceKey, json.writeValueAsString(reason), clock.instant());
    }

    /** The keys of gateways with a delete still pending. */
    public List<String> pendingDeletes() {
        return rows.pendingDeletes();
    }

    /** Whether the operation has ended (any status but InProgress); false for an unknown id. */
    public boolean settled(String operationId) {
        return rows.find(operationId)
                .map(o -> o.status() != OperationStatus.InProgress)
                .orElse(false);
    }

    /** The operation, if it exists and belongs to {@code subscriptionId}; 404 otherwise. */
    public AsyncOperation get(String subscriptionId, String operationId, String location) {
        AsyncOperationRow e = rows.find(operationId.toLowerCase(Locale.ROOT))
                .filter(o -> o.subscriptionKey().equals(subscriptionId.toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> ArmException.notFound("There is no operation '" + operationId
                        + "' in subscription '" + subscriptionId + "'; operations are kept for " + retention.toHours()
                        + " hours."));
        return view(e, location);
    }

    /** The operation as the API answers it; without its URL path when {@code location} is {@code null}. */
    AsyncOperation view(AsyncOperationRow e, String location) {
        ApiError error = e.error() == null ? null : json.readValue(e.error(), ApiError.class);
        String id = location == null ? null : path(e.subscriptionKey(), location, e.id());
        return new AsyncOperation(
                id, e.id(), e.status().name(), e.resourceId(), e.kind().name(), e.startTime(), e.endTime(), error);
    }

    /**
     * The most recently started operations, newest first, over every subscription; without their URL path
     * ({@code id}), which needs the gateway's location.
     */
    public List<AsyncOperation> recent() {
        return rows.newest().stream().map(e -> view(e, null)).toList();
    }

    /** The operation's URL path, as sent in the Azure-AsyncOperation header (without host and api-version). */
    public static String path(String subscriptionId, String location, String operationId) {
        return "/subscriptions/" + subscriptionId + "/providers/Microsoft.Network/locations/" + location
                + "/azureAsyncOperations/" + operationId;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void purge() {
        Integer purged = tx.execute(s -> rows.purgeSettledBefore(clock.instant().minus(retention)));
        if (purged != null && purged > 0) {
            log.info("Forgot {} settled operations older than {}", purged, retention);
        }
    }
}
