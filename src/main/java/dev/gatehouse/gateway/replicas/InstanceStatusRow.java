package dev.gatehouse.gateway.replicas;

import java.time.Instant;

/**
 * What one instance's data plane did with one gateway: one row of {@code gateway_instance_status}, the generation
 * it applied and how that went, or {@link #REMOVED} once it let go of a deleted gateway.
 */
record InstanceStatusRow(
        String resourceKey,
        String instanceId,
        long appliedGeneration,
        String provisioningState,
        String provisioningError,
        Instant updatedAt) {

    static final String REMOVED = "Removed";
}
