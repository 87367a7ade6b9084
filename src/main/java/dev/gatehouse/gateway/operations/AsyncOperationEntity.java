package dev.gatehouse.gateway.operations;

import dev.gatehouse.gateway.model.GatewayKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/** The persistence edge of an ARM asynchronous operation; see {@code V3__async_operation.sql}. */
@Entity
@Table(name = "async_operation")
class AsyncOperationEntity implements Persistable<String> {

    /** A new operation is inserted without the SELECT a merge of an assigned id would cost. */
    @Transient
    private boolean isNew = true;

    @Id
    private String id;

    @Column(name = "resource_key", nullable = false)
    private String resourceKey;

    @Column(name = "subscription_key", nullable = false)
    private String subscriptionKey;

    @Column(name = "resource_id", nullable = false)
    private String resourceId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AsyncOperation.Kind kind;

    @Column
    private Long generation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OperationStatus status;

    @Column
    private String error;

    @Column(name = "start_time", nullable = false)
    private Instant startTime;

    @Column(name = "end_time")
    private Instant endTime;

    protected AsyncOperationEntity() {}

    AsyncOperationEntity(GatewayKey key, AsyncOperation.Kind kind, Long generation, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.resourceKey = key.value();
        this.subscriptionKey = key.subscriptionId().toLowerCase(Locale.ROOT);
        this.resourceId = key.id();
        this.kind = kind;
        this.generation = generation;
        this.status = OperationStatus.InProgress;
        this.startTime = now;
    }

    /** Settles the operation at once (a write that changed nothing reports the outcome already recorded). */
    void settle(OperationStatus newStatus, String errorJson, Instant now) {
        this.status = newStatus;
        this.error = errorJson;
        this.endTime = now;
    }

    String id() {
        return id;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    String subscriptionKey() {
        return subscriptionKey;
    }

    String resourceId() {
        return resourceId;
    }

    AsyncOperation.Kind kind() {
        return kind;
    }

    OperationStatus status() {
        return status;
    }

    String error() {
        return error;
    }

    Instant startTime() {
        return startTime;
    }

    Instant endTime() {
        return endTime;
    }
}
