package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.hibernate.validator.constraints.Range;

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
        Reference sslProfile,

        @Valid
        @Schema(
                description = "Gatehouse extension: every connection starts with a PROXY protocol header (v1 or v2, "
                        + "detected) from a load balancer in front; its client address is the client's everywhere. "
                        + "Absent: no header is expected.")
        GatehouseProxyProtocol gatehouseProxyProtocol,

        @Valid
        @Schema(
                description = "Gatehouse extension: which client addresses are served (after the PROXY header, "
                        + "when there is one). Absent: every client.")
        GatehouseClientAccess gatehouseClientAccess) {

    /** A listener without an SSL profile or Gatehouse extensions (most of them). */
    public ListenerProperties(
            Protocol protocol,
            Reference frontendIPConfiguration,
            Reference frontendPort,
            Reference sslCertificate,
            List<String> hostNames) {
        this(protocol, frontendIPConfiguration, frontendPort, sslCertificate, hostNames, null, null, null);
    }

    /** The seconds a PROXY header may take to arrive when {@code headerTimeoutInSec} is absent. */
    public static final int DEFAULT_PROXY_HEADER_TIMEOUT_SECONDS = 3;

    /**
     * Gatehouse's PROXY protocol in front of a listener. Its OpenAPI schema is named apart from the backend
     * settings' GatehouseProxyProtocol (model package), which sends the header.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "GatehouseListenerProxyProtocol")
    public record GatehouseProxyProtocol(
            @NotNull
            @Schema(
                    description = "Address ranges (CIDR, or single addresses) of the load balancers allowed to "
                            + "send the header; a connection from anywhere else is closed at once.",
                    example = "[\"10.0.0.0/8\"]")
            List<String> trustedSources,

            @Range(min = 1, max = 60)
            @Schema(
                    description =
                            "Seconds after the accept within which the whole header must arrive " + "(default 3).",
                    example = "3")
            Integer headerTimeoutInSec) {

        /** The header timeout in seconds, the default when absent. */
        public int headerTimeoutSeconds() {
            return headerTimeoutInSec == null ? DEFAULT_PROXY_HEADER_TIMEOUT_SECONDS : headerTimeoutInSec;
        }
    }

    /** Gatehouse's allow and deny lists of client address ranges; a denied client is refused even if allowed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GatehouseClientAccess(
            @Schema(
                    description = "Address ranges (CIDR) served; absent: every client that is not denied.",
                    example = "[\"192.0.2.0/24\"]")
            List<String> allow,

            @Schema(
                    description = "Address ranges (CIDR) refused, even when also allowed.",
                    example = "[\"192.0.2.66/32\"]")
            List<String> deny) {}
}
