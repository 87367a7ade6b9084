package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Locale;

/**
 * The persistence edge of a gateway: the document as JSON text plus the columns that are queried or
 * written separately (keys, etag, generation, status). Nothing outside this package sees it.
 */
@Entity
@Table(name = "application_gateway")
class GatewayEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "resource_key", nullable = false, unique = true)
    private String resourceKey;

    @Column(name = "subscription_key", nullable = false)
    private String subscriptionKey;

    @Column(name = "group_key", nullable = false)
    private String groupKey;

    @Column(name = "subscription_id", nullable = false)
    private String subscriptionId;

    @Column(name = "resource_group", nullable = false)
    private String resourceGroup;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String document;

    @Column(nullable = false)
    private String etag;

    @Column(nullable = false)
    private long generation;

    @Enumerated(EnumType.STRING)
    @Column(name = "provisioning_state", nullable = false)
    private ProvisioningState provisioningState;

    @Column(name = "applied_generation")
    private Long appliedGeneration;

    @Column(name = "provisioning_error")
    private String provisioningError;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "operational_state", nullable = false)
    private OperationalState operationalState = OperationalState.Running;

    @Column(name = "status_changed_at")
    private Instant statusChangedAt;

    @Version
    private long version;

    protected GatewayEntity() {}

    GatewayEntity(GatewayKey key, Instant now) {
        this.resourceKey = key.value();
        this.subscriptionKey = key.subscriptionId().toLowerCase(Locale.ROOT);
        this.groupKey = key.resourceGroup().toLowerCase(Locale.ROOT);
        this.subscriptionId = key.subscriptionId();
        this.resourceGroup = key.resourceGroup();
        this.name = key.name();
        this.createdAt = now;
    }

    String resourceKey() {
        return resourceKey;
    }

    GatewayKey key() {
        return new GatewayKey(subscriptionId, resourceGroup, name);
    }

    /** Replaces the desired state; a new generation starts and the status goes back to Updating. */
    void replaceDocument(String json, String newEtag, Instant now) {
        this.document = json;
        this.etag = newEtag;
        nextGeneration(now);
    }

    /** The same document with its secrets stored differently (encrypted): no new generation, same etag. */
    void reencrypt(String json) {
        this.document = json;
    }

    /** Running or Stopped; a change is a new generation, applied by the reconciler like a document change. */
    void operationalState(OperationalState state, Instant now) {
        this.operationalState = state;
        nextGeneration(now);
    }

    /** A new generation to apply: the status goes back to Updating until the data plane reports. */
    private void nextGeneration(Instant now) {
        this.generation++;
        if (provisioningState != ProvisioningState.Updating) {
            this.statusChangedAt = now;
        }
        this.provisioningState = ProvisioningState.Updating;
        this.provisioningError = null;
        this.updatedAt = now;
    }

    OperationalState operationalState() {
        return operationalState;
    }

    Instant statusChangedAt() {
        return statusChangedAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    String document() {
        return document;
    }

    String etag() {
        return etag;
    }

    long generation() {
        return generation;
    }

    ProvisioningState provisioningState() {
        return provisioningState;
    }

    Long appliedGeneration() {
        return appliedGeneration;
    }

    String provisioningError() {
        return provisioningError;
    }
}
