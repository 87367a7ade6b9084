package dev.gatehouse.gateway;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads stored asynchronous operations and forgets settled ones after the retention period. Operations are
 * created and settled by {@link GatewayStore}, in the transactions that store a write and record its apply.
 */
@Component
public class AsyncOperations {

    private static final Logger log = LoggerFactory.getLogger(AsyncOperations.class);
    private static final Duration MIN_RETENTION = Duration.ofHours(24);

    private final AsyncOperationRepository repository;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration retention;

    AsyncOperations(AsyncOperationRepository repository, JsonMapper json, PlatformTransactionManager transactions,
            Optional<Clock> clock, @Value("${gatehouse.api.operation-retention:48h}") Duration retention) {
        this.repository = repository;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock.orElse(Clock.systemUTC());
        this.retention = retention.compareTo(MIN_RETENTION) < 0 ? MIN_RETENTION : retention;
    }

    /** The operation, if it exists and belongs to {@code subscriptionId}; 404 otherwise. */
    public AsyncOperation get(String subscriptionId, String operationId, String location) {
        AsyncOperationEntity e = repository.findById(operationId.toLowerCase(Locale.ROOT))
                .filter(o -> o.subscriptionKey().equals(subscriptionId.toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> ArmException.notFound("There is no operation '" + operationId
                        + "' in subscription '" + subscriptionId + "'; operations are kept for " + retention.toHours()
                        + " hours."));
        return view(e, location);
    }

    AsyncOperation view(AsyncOperationEntity e, String location) {
        ApiError error = e.error() == null ? null : json.readValue(e.error(), ApiError.class);
        return new AsyncOperation(path(e.subscriptionKey(), location, e.id()), e.id(), e.status(), e.resourceId(),
                e.kind(), e.startTime(), e.endTime(), error);
    }

    /** The operation's URL path, as sent in the Azure-AsyncOperation header (without host and api-version). */
    static String path(String subscriptionId, String location, String operationId) {
        return "/subscriptions/" + subscriptionId + "/providers/Microsoft.Network/locations/" + location
                + "/azureAsyncOperations/" + operationId;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void purge() {
        Integer purged = tx.execute(s -> repository.purgeSettledBefore(clock.instant().minus(retention)));
        if (purged != null && purged > 0) {
            log.info("Forgot {} settled operations older than {}", purged, retention);
        }
    }
}
