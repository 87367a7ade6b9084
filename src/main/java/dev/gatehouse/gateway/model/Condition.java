package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A Kubernetes-style status condition. {@code observedGeneration} says which document generation the
 * condition describes, so a script can tell a fresh status from a stale one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Accepted: the document is valid and stored. Programmed: the data plane serves it.")
public record Condition(
        @Schema(allowableValues = {"Accepted", "Programmed"})
        String type,

        @Schema(allowableValues = {"True", "False", "Unknown"})
        String status,

        @Schema(example = "Programmed") String reason,
        String message,
        Long observedGeneration,
        Instant lastTransitionTime) {}
