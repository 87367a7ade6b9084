package dev.gatehouse.gateway.replicas;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * What one instance's data plane did with one gateway: the generation it applied and how that went, or
 * {@link #REMOVED} once it let go of a deleted gateway.
 */
@Entity
@Table(name = "gateway_instance_status")
class InstanceStatusEntity {

    static final String REMOVED = "Removed";

    @Embeddable
    record Key(
            @Column(name = "resource_key") String resourceKey,
            @Column(name = "instance_id") String instanceId) implements Serializable {}

    @EmbeddedId
    private Key key;

    @Column(name = "applied_generation", nullable = false)
    private long appliedGeneration;

    @Column(name = "provisioning_state", nullable = false)
    private String provisioningState;

    @Column(name = "provisioning_error")
    private String provisioningError;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected InstanceStatusEntity() {}

    InstanceStatusEntity(Key key) {
        this.key = key;
    }

    void record(long generation, String state, String errorJson, Instant now) {
        this.appliedGeneration = generation;
        this.provisioningState = state;
        this.provisioningError = errorJson;
        this.updatedAt = now;
    }

    String instanceId() {
        return key.instanceId();
    }

    String resourceKey() {
        return key.resourceKey();
    }

    long appliedGeneration() {
        return appliedGeneration;
    }

    String provisioningState() {
        return provisioningState;
    }

    String provisioningError() {
        return provisioningError;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
