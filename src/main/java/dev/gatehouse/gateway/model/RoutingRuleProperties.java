package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.Range;

/** ARM's {@code routingRules} entry: a Layer-4 listener forwards to a pool with settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record RoutingRuleProperties(
        @NotNull @Schema(allowableValues = {"Basic"}) String ruleType,
        @NotNull @Range(min = 1, max = 20000) Integer priority,
        @NotNull Reference listener,
        @NotNull Reference backendAddressPool,
        @NotNull Reference backendSettings) {}
