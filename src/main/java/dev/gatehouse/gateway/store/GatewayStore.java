package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ApiSettings;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ErrorCodes;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.InstanceStatus;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.operations.AsyncOperation;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.replicas.InstanceStatuses;
import dev.gatehouse.gateway.rules.GatewayRules;
import dev.gatehouse.gateway.rules.RuleCodes;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and writes gateways. Every write is a read-modify-write of the whole document under a row lock
 * ({@code SELECT ... FOR UPDATE}), so concurrent writes to one gateway, whole or per child, queue
 * instead of overwriting each other, also across processes sharing a database. A write that fails
 * validation or a precondition throws before anything is stored; a write that is stored starts its
 * asynchronous operation in the same transaction.
 */
@Component
public class GatewayStore {

    private final GatewayRows rows;
    private final AsyncOperations operations;
    private final InstanceStatuses instances;
    private final GatewayRules rules;
    private final StoredDocuments documents;
    private final int maxGateways;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;
    private final Clock clock;

    GatewayStore(
            GatewayRows rows,
            AsyncOperations operations,
            InstanceStatuses instances,
            GatewayRules rules,
            StoredDocuments documents,
            PlatformTransactionManager transactions,
            Optional<Clock> clock,
            ApiSettings settings) {
        this.rows = rows;
        this.operations = operations;
        this.instances = instances;
        this.rules = rules;
        this.documents = documents;
        this.maxGateways = settings.maxGateways();
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * How a write went: the gateway as stored afterwards, whether it was created or changed, and the
     * asynchronous operation that reports when the data plane serves it.
     */
    public record Written(StoredGateway gateway, boolean created, boolean changed, String operationId) {}

    /**
     * Applies {@code change} to the current gateway ({@code null} when it does not exist) and
     * stores the result if it is valid. {@code change} may throw an {@link ArmException} (a failed
     * precondition, a missing parent) to refuse the write. Storing a document equal to the current one
     * changes nothing: same etag, same generation.
     */
    public Written write(GatewayKey key, Function<StoredGateway, ApplicationGateway> change) {
        try {
            return tx.execute(status -> writeLocked(key, change));
        } catch (DataIntegrityViolationException raceOnCreate) {
            // Another request created the same gateway between our read and our insert; its row now
            // exists and the second attempt locks it like any update.
            return tx.execute(status -> writeLocked(key, change));
        }
    }

    private Written writeLocked(GatewayKey key, Function<StoredGateway, ApplicationGateway> change) {
        Optional<GatewayRow> existing = rows.lock(key.value());
        StoredGateway stored = existing.map(this::toStored).orElse(null);
        ApplicationGateway current = stored == null ? null : stored.spec();
        ApplicationGateway requested = change.apply(stored);
        if (requested == null) {
            throw new IllegalStateException("a write must produce a document");
        }
        ApplicationGateway spec = validated(
                key, requested, current, existing.map(e -> e.key().name()).orElse(key.name()));
        if (existing.isEmpty() && rows.count() >= maxGateways) {
            throw new ArmException(
                    HttpStatus.CONFLICT,
                    ErrorCodes.QUOTA_EXCEEDED,
                    "Gatehouse already stores " + maxGateways + " gateways, its limit (gatehouse.api.max-gateways); "
                            + "delete one or raise the limit.",
                    null);
        }
        StoredDocuments.Encoded document = documents.encode(spec);
        GatewayRow row = existing.orElseGet(() -> GatewayRow.created(key, clock.instant()));
        boolean changed = !document.etag().equals(row.etag());
        if (changed) {
            row = rows.save(row.withDocument(document.text(), document.etag(), clock.instant()));
            documents.keep(key.value(), document.etag(), spec);
        }
        if (existing.isEmpty()) {
            // A gateway deleted and created again: the data plane's state for it is replaced as a whole.
            operations.settleRemoved(key.value());
        }
        String operation = startOperation(key, AsyncOperation.Kind.CreateOrUpdate, row);
        return new Written(toStored(row), existing.isEmpty(), changed, operation);
    }

    /**
     * Records a pending operation for the gateway's current generation, in the write's transaction (so the apply
     * that settles it cannot slip in between). When that generation already serves, it is settled at once.
     */
    private String startOperation(GatewayKey key, AsyncOperation.Kind kind, GatewayRow row) {
        boolean applied = row.provisioningState() == ProvisioningState.Succeeded
                && Long.valueOf(row.generation()).equals(row.appliedGeneration());
        return operations.start(key, kind, row.generation(), applied);
    }

    /** The stored form of {@code requested} after the rules accepted it; throws 400 with every violation. */
    private ApplicationGateway validated(
            GatewayKey key, ApplicationGateway requested, ApplicationGateway current, String canonicalName) {
        ApplicationGateway proposed = Secrets.keepStored(requested, current);
        List<ApiError> violations = rules.check(key, proposed, current);
        if (!violations.isEmpty()) {
            throw ArmException.invalid(
                    RuleCodes.INVALID_APPLICATION_GATEWAY,
                    "The ApplicationGateway document has " + violations.size()
                            + (violations.size() == 1 ? " error" : " errors") + "; see details.",
                    violations);
        }
        return proposed.spec(canonicalName);
    }

    /** What a PUT of {@code requested} would store, and what is stored now; nothing is written or locked. */
    public record Preview(StoredGateway current, ApplicationGateway proposed) {}

    /** Validates {@code requested} exactly as a PUT would, without storing anything. */
    public Preview preview(GatewayKey key, ApplicationGateway requested) {
        StoredGateway current = find(key).orElse(null);
        return new Preview(
                current,
                validated(
                        key,
                        requested,
                        current == null ? null : current.spec(),
                        current == null ? key.name() : current.key().name()));
    }

    /** A deleted gateway as it was, and the operation that reports when the data plane stopped serving it. */
    public record Deleted(StoredGateway gateway, String operationId) {}

    /**
     * Deletes the gateway after {@code precondition} accepted its current state; empty when there was none.
     * Pending writes of the gateway end Canceled.
     */
    public Optional<Deleted> delete(GatewayKey key, Consumer<StoredGateway> precondition) {
        return tx.execute(status -> {
            Optional<GatewayRow> existing = rows.lock(key.value());
            if (existing.isEmpty()) {
                return Optional.<Deleted>empty();
            }
            StoredGateway gateway = toStored(existing.get());
            precondition.accept(gateway);
            rows.delete(key.value());
            documents.forget(key.value());
            operations.cancelWrites(
                    key.value(),
                    ApiError.of("OperationCanceled", "The gateway was deleted before this change was applied.", null));
            return Optional.of(new Deleted(gateway, operations.start(key, AsyncOperation.Kind.Delete, null, false)));
        });
    }

    /** The gateway, with each live instance's status. */
    public Optional<StoredGateway> find(GatewayKey key) {
        return readTx.execute(status ->
                rows.find(key.value()).map(row -> toStored(row, instances.views(List.of(row.resourceKey())))));
    }

    /** The gateways of a subscription, or of one resource group when {@code resourceGroup} is given. */
    public List<StoredGateway> list(String subscriptionId, String resourceGroup) {
        String subscription = subscriptionId.toLowerCase(Locale.ROOT);
        return readTx.execute(status -> {
            List<GatewayRow> found = resourceGroup == null
                    ? rows.inSubscription(subscription)
                    : rows.inGroup(subscription, resourceGroup.toLowerCase(Locale.ROOT));
            var byKey =
                    instances.views(found.stream().map(GatewayRow::resourceKey).toList());
            return found.stream().map(row -> toStored(row, byKey)).toList();
        });
    }

    /**
     * Every stored gateway's generation, by key: one cheap query, which replicas poll to learn of writes made
     * through other replicas.
     */
    public Map<String, Long> generations() {
        return readTx.execute(status -> rows.generations());
    }

    /** Every stored gateway, ordered by key, without instance statuses: one query, for the dashboard. */
    public List<StoredGateway> all() {
        return readTx.execute(status -> rows.all().stream().map(this::toStored).toList());
    }

    /** The keys of every stored gateway, for a full resync. */
    public List<String> allKeys() {
        return readTx.execute(status -> rows.allKeys());
    }

    public Optional<StoredGateway> findByValue(String resourceKey) {
        return readTx.execute(status -> rows.find(resourceKey).map(this::toStored));
    }

    /**
     * Sets operationalState (Running or Stopped) for the reconciler to apply: a new generation, like a
     * document change, so its operation knows when it is done. Empty when there is no such gateway.
     */
    public Optional<Written> setOperationalState(GatewayKey key, OperationalState state) {
        return tx.execute(status -> rows.lock(key.value()).map(locked -> {
            GatewayRow row = locked;
            boolean changed = state != row.operationalState();
            if (changed) {
                row = rows.update(row.withOperationalState(state, clock.instant()));
            }
            String operation = startOperation(
                    key, state == OperationalState.Stopped ? AsyncOperation.Kind.Stop : AsyncOperation.Kind.Start, row);
            return new Written(toStored(row), false, changed, operation);
        }));
    }

    private StoredGateway toStored(GatewayRow e) {
        return toStored(e, Map.of());
    }

    private StoredGateway toStored(GatewayRow e, Map<String, List<InstanceStatus>> instanceStatus) {
        StoredDocuments.Decoded document = documents.decode(e.resourceKey(), e.etag(), e.document());
        return new StoredGateway(
                e.key(),
                document.spec(),
                document.childEtags(),
                e.etag(),
                e.generation(),
                e.provisioningState(),
                e.appliedGeneration(),
                documents.error(e.provisioningError()),
                e.operationalState(),
                e.updatedAt(),
                e.statusChangedAt(),
                instanceStatus.getOrDefault(e.resourceKey(), List.of()));
    }
}
