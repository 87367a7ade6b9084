package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import tools.jackson.databind.JsonNode;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record FrontendIpConfigurationProperties(
        @NotBlank
        @Schema(
                description = "The IPv4 or IPv6 address the listeners using this configuration bind "
                        + "(0.0.0.0 or :: for every address of the host). When absent, a frontend with publicIPAddress gets "
                        + "gatehouse.frontend.public-address (default 0.0.0.0) and one with privateIPAllocationMethod Dynamic "
                        + "gets gatehouse.frontend.default-private-address (default 127.0.0.1): the address bound.",
                example = "127.0.0.1")
        String privateIPAddress,

        @Schema(
                description = "Dynamic without privateIPAddress binds gatehouse.frontend.default-private-address.",
                allowableValues = {"Static", "Dynamic"})
        String privateIPAllocationMethod,

        @JsonAnySetter
        @JsonAnyGetter
        @Schema(
                hidden = true,
                description = "Properties of Azure's schema that Gatehouse keeps without a local "
                        + "meaning (docs/azure-compatibility.md).")
        Map<String, JsonNode> kept) {

    public FrontendIpConfigurationProperties {
        kept = Kept.of(kept);
    }

    public FrontendIpConfigurationProperties(String privateIPAddress, String privateIPAllocationMethod) {
        this(privateIPAddress, privateIPAllocationMethod, Map.of());
    }
}
