package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.hibernate.validator.constraints.Range;

/** ARM's {@code backendSettingsCollection} entry: how connections to a pool's servers are made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record BackendSettingsProperties(
        @NotNull @Schema(description = "Tcp or Tls for Layer-4 routing rules.")
        Protocol protocol,

        @NotNull @Range(min = 1, max = 65535) Integer port,

        @Range(min = 1, max = 86400)
        @Schema(description = "Idle timeout of a proxied connection in seconds (default 20).", example = "20")
        Integer timeout,

        Reference probe,

        @Schema(description = "SNI host name sent to Tls backends.")
        String hostName,

        Boolean pickHostNameFromBackendAddress,
        List<Reference> trustedRootCertificates,

        @Valid
        @Schema(
                description = "How long open connections may continue when their listener or server is removed. "
                        + "Absent: the default (30 s). enabled false: they are closed at once.")
        ConnectionDraining connectionDraining,

        @JsonAlias("enableClientIpPreservation")
        @Schema(
                description = "Send a PROXY protocol v1 header with the client's address to the backend before any "
                        + "other byte (Tcp and Tls only). Also accepted on input as enableClientIpPreservation.")
        Boolean enableL4ClientIpPreservation,

        @Valid GatehouseProxyProtocol gatehouseProxyProtocol) {

    /** Whether a PROXY header carries the client's address to the backend; absent means no (Azure's default). */
    public boolean l4ClientIpPreservationEnabled() {
        return Boolean.TRUE.equals(enableL4ClientIpPreservation);
    }

    /** The PROXY protocol version the settings send when they preserve the client IP: V1 unless the extension says. */
    public GatehouseProxyProtocol.Version proxyProtocolVersion() {
        return gatehouseProxyProtocol == null ? GatehouseProxyProtocol.Version.V1 : gatehouseProxyProtocol.version();
    }

    /** Whether each server's own address is the SNI sent to Tls backends; absent means no (Azure's default). */
    public boolean hostNameFromBackendAddress() {
        return Boolean.TRUE.equals(pickHostNameFromBackendAddress);
    }

    /** ARM's connectionDraining of backend settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConnectionDraining(
            @NotNull Boolean enabled,
            @Range(min = 1, max = 3600) Integer drainTimeoutInSec) {}
}
