package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** A Layer-4 listener (ARM's {@code listeners}, not the HTTP {@code httpListeners}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record ListenerProperties(
        @NotNull @Schema(description = "Tcp or Tls.") Protocol protocol,
        @NotNull Reference frontendIPConfiguration,
        @NotNull Reference frontendPort,

        @Schema(description = "Required for Tls listeners; not allowed on Tcp listeners.")
        Reference sslCertificate,

        @Schema(description = "SNI host names (wildcards allowed) selecting this Tls listener on a shared port.")
        List<String> hostNames,

        @Schema(description = "An sslProfiles entry: TLS policy and client certificates of this Tls listener.")
        Reference sslProfile) {

    /** A listener without an SSL profile (most of them). */
    public ListenerProperties(
            Protocol protocol,
            Reference frontendIPConfiguration,
            Reference frontendPort,
            Reference sslCertificate,
            List<String> hostNames) {
        this(protocol, frontendIPConfiguration, frontendPort, sslCertificate, hostNames, null);
    }
}
