package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.Range;
import tools.jackson.databind.JsonNode;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record ProbeProperties(
        @NotNull Protocol protocol,
        String host,

        @Schema(description = "HTTP probes only; not allowed on Tcp and Tls probes.")
        String path,

        @Range(min = 1, max = 65535) @Schema(description = "Defaults to the backend settings' port.")
        Integer port,

        @Range(min = 1, max = 86400) @Schema(description = "Seconds between probes.", example = "30")
        Integer interval,

        @Range(min = 1, max = 86400) @Schema(description = "Seconds a probe may take.", example = "30")
        Integer timeout,

        @Range(min = 1, max = 20) @Schema(example = "3") Integer unhealthyThreshold,
        Boolean pickHostNameFromBackendSettings,

        @Schema(description = "Send the 15 bytes 'PROXY UNKNOWN\\r\\n' before probing (Tcp and Tls probes only).")
        Boolean enableProbeProxyProtocolHeader,

        @Schema(
                description = "Gatehouse extension: the PROXY header a Tcp or Tls probe sends: None, V1 "
                        + "('PROXY UNKNOWN\\r\\n') or V2Local (a v2 header with the LOCAL command). Absent: "
                        + "enableProbeProxyProtocolHeader decides (V1 when true).")
        ProbeProxyProtocolHeader gatehouseProxyProtocolHeader,

        @Schema(description = "HTTP probes only.") Match match,

        @JsonAnySetter
        @JsonAnyGetter
        @Schema(
                hidden = true,
                description = "Properties of Azure's schema that Gatehouse keeps without a local "
                        + "meaning (docs/azure-compatibility.md).")
        Map<String, JsonNode> kept) {

    public ProbeProperties {
        kept = Kept.of(kept);
    }

    public ProbeProperties(
            Protocol protocol,
            String host,
            String path,
            Integer port,
            Integer interval,
            Integer timeout,
            Integer unhealthyThreshold,
            Boolean pickHostNameFromBackendSettings,
            Boolean enableProbeProxyProtocolHeader,
            Match match) {
        this(
                protocol,
                host,
                path,
                port,
                interval,
                timeout,
                unhealthyThreshold,
                pickHostNameFromBackendSettings,
                enableProbeProxyProtocolHeader,
                null,
                match,
                Map.of());
    }

    /** Whether the probe sends {@code PROXY UNKNOWN} first; absent means no (Azure's default). */
    public boolean probeProxyProtocolHeaderEnabled() {
        return Boolean.TRUE.equals(enableProbeProxyProtocolHeader);
    }

    /**
     * The PROXY header the probe sends: the extension when present, else V1 when
     * enableProbeProxyProtocolHeader is true (Azure's rule), else none.
     */
    public ProbeProxyProtocolHeader proxyProtocolHeader() {
        if (gatehouseProxyProtocolHeader != null) {
            return gatehouseProxyProtocolHeader;
        }
        return probeProxyProtocolHeaderEnabled() ? ProbeProxyProtocolHeader.V1 : ProbeProxyProtocolHeader.None;
    }

    /** Whether the probe takes its host from the backend settings rather than {@code host}; absent means no. */
    public boolean hostFromBackendSettings() {
        return Boolean.TRUE.equals(pickHostNameFromBackendSettings);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(List<String> statusCodes, String body) {}
}
