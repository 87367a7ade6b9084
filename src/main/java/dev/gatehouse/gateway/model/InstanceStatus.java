package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.arm.ApiError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** What one live Gatehouse instance applied of a gateway (Gatehouse extension). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "InstanceStatus")
public record InstanceStatus(
        @Schema(description = "The instance id (gatehouse.instance.id; default host:port)")
        String instance,

        @Schema(description = "The generation this instance applied last")
        Long appliedGeneration,

        @Schema(allowableValues = {"Succeeded", "Failed"}) String provisioningState,

        @Schema(description = "Why this instance's apply failed")
        ApiError provisioningError,

        Instant updatedAt) {}
