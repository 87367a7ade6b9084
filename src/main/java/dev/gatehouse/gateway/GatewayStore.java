package dev.gatehouse.gateway;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ErrorCodes;
import dev.gatehouse.arm.Etags;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes gateways. Every write is a read-modify-write of the whole document under a row lock
 * ({@code SELECT ... FOR UPDATE}), so concurrent writes to one gateway, whole or per child, queue
 * instead of overwriting each other, also across processes sharing a database. A write that fails
 * validation or a precondition throws before anything is stored.
 */
@Component
public class GatewayStore {

    private static final Logger log = LoggerFactory.getLogger(GatewayStore.class);

    private final GatewayRepository repository;
    private final AsyncOperationRepository operations;
    private final InstanceStatusRepository statuses;
    private final Instances instances;
    private final GatewayRules rules;
    private final SecretCipher cipher;
    private final int maxGateways;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;
    private final Clock clock;

    GatewayStore(GatewayRepository repository, AsyncOperationRepository operations, InstanceStatusRepository statuses,
            Instances instances, GatewayRules rules, SecretCipher cipher, JsonMapper json,
            PlatformTransactionManager transactions, Optional<Clock> clock,
            @org.springframework.beans.factory.annotation.Value("${gatehouse.api.max-gateways:1000}") int maxGateways) {
        this.cipher = cipher;
        this.maxGateways = maxGateways;
        this.repository = repository;
        this.operations = operations;
        this.statuses = statuses;
        this.instances = instances;
        this.rules = rules;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * How a write went: the gateway as stored afterwards, whether it was created or changed, and the
     * asynchronous operation that reports when the data plane serves it.
     */
    public record Written(StoredGateway gateway, boolean created, boolean changed, String operationId) {
    }

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
        Optional<GatewayEntity> existing = repository.lockByResourceKey(key.value());
        StoredGateway stored = existing.map(this::toStored).orElse(null);
        ApplicationGateway current = stored == null ? null : stored.spec();
        ApplicationGateway requested = change.apply(stored);
        if (requested == null) {
            throw new IllegalStateException("a write must produce a document");
        }
        ApplicationGateway spec = validated(key, requested, current, existing.map(e -> e.key().name()).orElse(key.name()));
        if (existing.isEmpty() && repository.count() >= maxGateways) {
            throw new ArmException(HttpStatus.CONFLICT, ErrorCodes.QUOTA_EXCEEDED,
                    "Gatehouse already stores " + maxGateways + " gateways, its limit (gatehouse.api.max-gateways); "
                            + "delete one or raise the limit.", null);
        }
        // The etag hashes the plaintext form, so it does not change with each encryption's random nonce.
        String plain = json.writeValueAsString(spec);
        String etag = Etags.of(plain);
        String document = stored(spec, plain);
        GatewayEntity entity = existing.orElseGet(() -> new GatewayEntity(key, clock.instant()));
        boolean changed = !etag.equals(entity.etag());
        if (changed) {
            entity.replaceDocument(document, etag, clock.instant());
            entity = repository.saveAndFlush(entity);
        }
        if (existing.isEmpty()) {
            // A gateway deleted and created again: the data plane's state for it is replaced as a whole.
            operations.settleRemoved(key.value(), clock.instant());
        }
        String operation = startOperation(key, AsyncOperation.Kind.CreateOrUpdate, entity);
        return new Written(toStored(entity), existing.isEmpty(), changed, operation);
    }

    /**
     * Records a pending operation for the gateway's current generation, in the write's transaction (so
     * the apply that settles it cannot slip in between). When that generation already serves, the
     * operation is settled at once.
     */
    private String startOperation(GatewayKey key, AsyncOperation.Kind kind, GatewayEntity entity) {
        AsyncOperationEntity op = new AsyncOperationEntity(key, kind, entity.generation(), clock.instant());
        if ("Succeeded".equals(entity.provisioningState()) && Long.valueOf(entity.generation())
                .equals(entity.appliedGeneration())) {
            op.settle("Succeeded", null, clock.instant());
        }
        return operations.saveAndFlush(op).id();
    }

    /** The stored form of {@code requested} after the rules accepted it; throws 400 with every violation. */
    private ApplicationGateway validated(GatewayKey key, ApplicationGateway requested, ApplicationGateway current,
            String canonicalName) {
        ApplicationGateway proposed = Secrets.keepStored(requested, current);
        List<ApiError> violations = rules.check(key, proposed, current);
        if (!violations.isEmpty()) {
            throw ArmException.invalid(RuleCodes.INVALID_APPLICATION_GATEWAY, "The ApplicationGateway document has "
                    + violations.size() + (violations.size() == 1 ? " error" : " errors") + "; see details.", violations);
        }
        return proposed.spec(canonicalName);
    }

    /** What a PUT of {@code requested} would store, and what is stored now; nothing is written or locked. */
    public record Preview(StoredGateway current, ApplicationGateway proposed) {
    }

    /** Validates {@code requested} exactly as a PUT would, without storing anything. */
    public Preview preview(GatewayKey key, ApplicationGateway requested) {
        StoredGateway current = find(key).orElse(null);
        return new Preview(current, validated(key, requested, current == null ? null : current.spec(),
                current == null ? key.name() : current.key().name()));
    }

    /** A deleted gateway as it was, and the operation that reports when the data plane stopped serving it. */
    public record Deleted(StoredGateway gateway, String operationId) {
    }

    /**
     * Deletes the gateway after {@code precondition} accepted its current state; empty when there was none.
     * Pending writes of the gateway end Canceled.
     */
    public Optional<Deleted> delete(GatewayKey key, Consumer<StoredGateway> precondition) {
        return tx.execute(status -> {
            Optional<GatewayEntity> existing = repository.lockByResourceKey(key.value());
            if (existing.isEmpty()) {
                return Optional.<Deleted>empty();
            }
            StoredGateway gateway = toStored(existing.get());
            precondition.accept(gateway);
            repository.deleteByKey(key.value());
            operations.cancelWrites(key.value(), json.writeValueAsString(ApiError.of("OperationCanceled",
                    "The gateway was deleted before this change was applied.", null)), clock.instant());
            AsyncOperationEntity op = operations.saveAndFlush(
                    new AsyncOperationEntity(key, AsyncOperation.Kind.Delete, null, clock.instant()));
            return Optional.of(new Deleted(gateway, op.id()));
        });
    }

    /** The gateway, with each live instance's status. */
    public Optional<StoredGateway> find(GatewayKey key) {
        return readTx.execute(status -> repository.findByResourceKey(key.value())
                .map(e -> toStored(e, instanceStatus(List.of(e.resourceKey())))));
    }

    /** The gateways of a subscription, or of one resource group when {@code resourceGroup} is given. */
    public List<StoredGateway> list(String subscriptionId, String resourceGroup) {
        String subscription = subscriptionId.toLowerCase(Locale.ROOT);
        return readTx.execute(status -> {
            List<GatewayEntity> found = resourceGroup == null
                    ? repository.findBySubscriptionKeyOrderByResourceKey(subscription)
                    : repository.findBySubscriptionKeyAndGroupKeyOrderByResourceKey(subscription,
                            resourceGroup.toLowerCase(Locale.ROOT));
            var byKey = instanceStatus(found.stream().map(GatewayEntity::resourceKey).toList());
            return found.stream().map(e -> toStored(e, byKey)).toList();
        });
    }

    /**
     * Every stored gateway's generation, by key: one cheap query, which replicas poll to learn of writes made
     * through other replicas.
     */
    public java.util.Map<String, Long> generations() {
        return readTx.execute(status -> {
            java.util.Map<String, Long> all = new java.util.HashMap<>();
            for (Object[] row : repository.findAllGenerations()) {
                all.put((String) row[0], ((Number) row[1]).longValue());
            }
            return all;
        });
    }

    /** The keys of every stored gateway, for a full resync. */
    public List<String> allKeys() {
        return readTx.execute(status -> repository.findAllResourceKeys());
    }

    public Optional<StoredGateway> findByValue(String resourceKey) {
        return readTx.execute(status -> repository.findByResourceKey(resourceKey).map(this::toStored));
    }

    /**
     * Records the outcome of this instance's apply of {@code generation}; ignored when a newer generation has
     * been stored meanwhile (its own apply will report). Returns whether it was recorded. The gateway's
     * provisioningState (and its pending operations) follow once the outcome over all live instances is
     * known: Failed as soon as one failed, Succeeded when every one applied it.
     */
    public boolean recordStatus(String resourceKey, long generation, String provisioningState, ApiError error) {
        String errorJson = error == null ? null : json.writeValueAsString(error);
        return Boolean.TRUE.equals(tx.execute(status -> {
            Optional<GatewayEntity> gateway = repository.lockByResourceKey(resourceKey);
            if (gateway.isEmpty() || gateway.get().generation() != generation) {
                return false;
            }
            recordOwn(resourceKey, generation, provisioningState, errorJson);
            aggregate(gateway.get());
            return true;
        }));
    }

    /** This instance's row for the gateway: only this instance writes it, from its one reconciler thread. */
    private void recordOwn(String resourceKey, long generation, String state, String errorJson) {
        var key = new InstanceStatusEntity.Key(resourceKey, instances.id());
        InstanceStatusEntity own = statuses.findById(key).orElseGet(() -> new InstanceStatusEntity(key));
        own.record(generation, state, errorJson, clock.instant());
        statuses.saveAndFlush(own);
    }

    /** Decides the gateway's status from the live instances' outcomes, if they are all in. Row lock held. */
    private void aggregate(GatewayEntity gateway) {
        long generation = gateway.generation();
        Set<String> live = instances.live();
        List<InstanceStatusEntity> current = statuses.forGateway(gateway.resourceKey()).stream()
                .filter(s -> live.contains(s.instanceId()) && s.appliedGeneration() == generation).toList();
        Optional<InstanceStatusEntity> failed = current.stream()
                .filter(s -> "Failed".equals(s.provisioningState())).findFirst();
        String state;
        String errorJson = null;
        if (failed.isPresent()) {
            state = "Failed";
            errorJson = live.size() == 1 ? failed.get().provisioningError() : onInstance(failed.get());
        } else if (current.size() == live.size()) {
            state = "Succeeded";
        } else {
            return;
        }
        if (repository.recordStatus(gateway.resourceKey(), generation, state, errorJson, clock.instant()) == 1) {
            operations.settleApplied(gateway.resourceKey(), generation, state, errorJson, clock.instant());
        }
    }

    /** An instance's error with the instance named, for a gateway served by several. */
    private String onInstance(InstanceStatusEntity status) {
        if (status.provisioningError() == null) {
            return null;
        }
        ApiError e = json.readValue(status.provisioningError(), ApiError.class);
        return json.writeValueAsString(new ApiError(e.code(), "Instance " + status.instanceId() + ": " + e.message(),
                e.target(), e.details()));
    }

    /**
     * Records that this instance's data plane no longer serves a deleted gateway. Its pending deletes succeed
     * once every live instance has let go.
     */
    public void recordRemoved(String resourceKey) {
        tx.executeWithoutResult(status -> {
            recordOwn(resourceKey, -1, InstanceStatusEntity.REMOVED, null);
            settleDeleteIfRemovedEverywhere(resourceKey);
        });
    }

    private void settleDeleteIfRemovedEverywhere(String resourceKey) {
        if (repository.findByResourceKey(resourceKey).isPresent()) {
            return; // created again: its writes settle its deletes
        }
        Set<String> live = instances.live();
        long removed = statuses.forGateway(resourceKey).stream()
                .filter(s -> live.contains(s.instanceId()) && InstanceStatusEntity.REMOVED.equals(s.provisioningState()))
                .count();
        if (removed == live.size()) {
            operations.settleRemoved(resourceKey, clock.instant());
            statuses.forgetGateway(resourceKey);
        }
    }

    /**
     * Decides again what waits on instances: gateways still Updating and deletes still pending. The set of
     * live instances changes (one stops, one's lease expires), and what waited on it may be decided now.
     */
    @Scheduled(fixedDelayString = "${gatehouse.instance.heartbeat:2s}", initialDelayString = "${gatehouse.instance.heartbeat:2s}")
    public void settlePending() {
        try {
            List<String> updating = readTx.execute(s -> repository.findResourceKeysByProvisioningState("Updating"));
            for (String key : updating) {
                tx.executeWithoutResult(s -> repository.lockByResourceKey(key).ifPresent(this::aggregate));
            }
            List<String> deleting = readTx.execute(s -> operations.pendingDeletes());
            for (String key : deleting) {
                tx.executeWithoutResult(s -> settleDeleteIfRemovedEverywhere(key));
            }
        } catch (RuntimeException e) {
            log.warn("Could not settle pending gateways: {}", e.toString());
        }
    }

    /** Per-instance status of gateways, by resource key, for their views. */
    private java.util.Map<String, List<InstanceStatus>> instanceStatus(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return java.util.Map.of();
        }
        Set<String> live = instances.live();
        java.util.Map<String, List<InstanceStatus>> byKey = new java.util.HashMap<>();
        for (InstanceStatusEntity s : statuses.forGateways(keys)) {
            if (!live.contains(s.instanceId()) || InstanceStatusEntity.REMOVED.equals(s.provisioningState())) {
                continue;
            }
            ApiError error = s.provisioningError() == null ? null : json.readValue(s.provisioningError(), ApiError.class);
            byKey.computeIfAbsent(s.resourceKey(), k -> new ArrayList<>()).add(new InstanceStatus(s.instanceId(),
                    s.appliedGeneration(), s.provisioningState(), error, s.updatedAt()));
        }
        byKey.values().forEach(list -> list.sort(java.util.Comparator.comparing(InstanceStatus::instance)));
        return byKey;
    }

    /**
     * Sets operationalState (Running or Stopped) for the reconciler to apply: a new generation, like a
     * document change, so its operation knows when it is done. Empty when there is no such gateway.
     */
    public Optional<Written> setOperationalState(GatewayKey key, String state) {
        return tx.execute(status -> repository.lockByResourceKey(key.value()).map(entity -> {
            boolean changed = !state.equals(entity.operationalState());
            if (changed) {
                entity.operationalState(state, clock.instant());
                entity = repository.saveAndFlush(entity);
            }
            String operation = startOperation(key, "Stopped".equals(state) ? AsyncOperation.Kind.Stop
                    : AsyncOperation.Kind.Start, entity);
            return new Written(toStored(entity), false, changed, operation);
        }));
    }

    private ApplicationGateway spec(GatewayEntity entity) {
        return Secrets.mapSecrets(json.readValue(entity.document(), ApplicationGateway.class), cipher::decrypt);
    }

    /** The document as stored: certificate secrets encrypted when a key is configured. */
    private String stored(ApplicationGateway spec, String plain) {
        return cipher.enabled() ? encryptedForm(spec) : plain;
    }

    private String encryptedForm(ApplicationGateway spec) {
        return json.writeValueAsString(Secrets.mapSecrets(spec, cipher::encrypt));
    }

    /**
     * Reads every stored gateway's secrets (throwing {@link SecretCipher.MissingKey} when they are encrypted and
     * the key is missing or another), and encrypts those still in plaintext when a key is configured. The etag
     * and generation do not change. Returns how many gateways were encrypted. Reads take no row locks: only a
     * gateway that must be rewritten is locked, so a start-up with nothing to encrypt writes nothing.
     */
    int checkAndEncryptSecrets() {
        int encrypted = 0;
        for (String key : allKeys()) {
            String document = readTx.execute(status -> repository.findByResourceKey(key)
                    .map(GatewayEntity::document).orElse(null));
            if (document == null) {
                continue;
            }
            ApplicationGateway stored = json.readValue(document, ApplicationGateway.class);
            Secrets.mapSecrets(stored, cipher::decrypt); // throws MissingKey when they cannot be read
            if (cipher.enabled() && hasPlaintextSecret(stored)) {
                // Decided again under the lock: a write may have changed the document since.
                encrypted += tx.execute(status -> repository.lockByResourceKey(key).map(entity -> {
                    ApplicationGateway current = json.readValue(entity.document(), ApplicationGateway.class);
                    if (!hasPlaintextSecret(current)) {
                        return 0;
                    }
                    entity.reencrypt(encryptedForm(Secrets.mapSecrets(current, cipher::decrypt)));
                    repository.saveAndFlush(entity);
                    return 1;
                }).orElse(0));
            }
        }
        return encrypted;
    }

    private static boolean hasPlaintextSecret(ApplicationGateway stored) {
        boolean[] plaintext = {false};
        Secrets.mapSecrets(stored, v -> {
            plaintext[0] |= v != null && !SecretCipher.isEncrypted(v);
            return v;
        });
        return plaintext[0];
    }

    private StoredGateway toStored(GatewayEntity e) {
        return toStored(e, java.util.Map.of());
    }

    private StoredGateway toStored(GatewayEntity e, java.util.Map<String, List<InstanceStatus>> instanceStatus) {
        ApiError error = e.provisioningError() == null ? null : json.readValue(e.provisioningError(), ApiError.class);
        return new StoredGateway(e.key(), spec(e), e.etag(), e.generation(), e.provisioningState(),
                e.appliedGeneration(), error, e.operationalState(), e.updatedAt(), e.statusChangedAt(),
                instanceStatus.getOrDefault(e.resourceKey(), List.of()));
    }
}
