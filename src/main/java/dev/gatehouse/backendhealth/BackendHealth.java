package dev.gatehouse.backendhealth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.gateway.model.Reference;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * ARM's ApplicationGatewayBackendHealth: per pool, per backend settings, per server. Azure's property
 * names are kept ({@code backendHttpSettingsCollection}, {@code backendHttpSettings}) so existing clients
 * parse it; {@code probe} is Gatehouse's addition with the structured reasons Azure does not give.
 */
@Schema(name = "ApplicationGatewayBackendHealth")
public record BackendHealth(List<Pool> backendAddressPools) {

    public record Pool(Reference backendAddressPool, List<Settings> backendHttpSettingsCollection) {}

    public record Settings(Reference backendHttpSettings, List<Server> servers) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Server(
            @Schema(example = "10.0.0.4") String address,

            @Schema(allowableValues = {"Unknown", "Healthy", "Unhealthy", "Draining"})
            String health,

            @Schema(description = "A sentence saying what the last probes found.")
            String healthProbeLog,

            @Schema(description = "Gatehouse's details of the probe results.")
            ProbeDetails probe) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProbeDetails(
            String name,

            @Schema(description = "host:port of the server (the settings' port; a probe may use another)")
            String server,

            int consecutiveFailures,
            Instant lastProbeAt,
            Instant lastSuccessAt,
            Instant lastFailureAt,

            @Schema(
                    description = "connection refused, a timeout naming the step, a TLS failure with its reason, "
                            + "or a reset right after the PROXY header")
            String lastFailureReason) {}
}
