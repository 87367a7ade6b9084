package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record BackendAddressPoolProperties(@Valid List<BackendAddress> backendAddresses) {

    /** One server: exactly one of {@code ipAddress} and {@code fqdn}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackendAddress(
            @Schema(example = "10.0.0.4") String ipAddress,
            @Schema(example = "db1.internal.example") String fqdn) {}
}
