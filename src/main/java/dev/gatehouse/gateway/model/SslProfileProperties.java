package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An SSL profile: the TLS policy and client certificate authentication of the Tls listeners that reference
 * it. Its {@code sslPolicy}, when given, replaces the gateway's for those listeners.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record SslProfileProperties(
        SslPolicy sslPolicy,

        @Schema(description = "CA certificates (trustedClientCertificates) that client certificates must chain to.")
        List<Reference> trustedClientCertificates,

        ClientAuthConfiguration clientAuthConfiguration) {

    /** How client certificates are verified. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientAuthConfiguration(
            @Schema(description = "The client certificate's issuer must be the trusted certificate closest to it.")
            Boolean verifyClientCertIssuerDN,

            @Schema(
                    description = "None only: revocation is not checked.",
                    allowableValues = {"None", "OCSP"})
            String verifyClientRevocation,

            @Schema(
                    description = "Strict only: client certificates are verified.",
                    allowableValues = {"Strict", "Passthrough"})
            String verifyClientAuthMode) {}

    /** Whether listeners with this profile ask clients for a certificate and verify it. */
    public boolean authenticatesClients() {
        return trustedClientCertificates != null && !trustedClientCertificates.isEmpty();
    }

    /** Whether the issuer's name is checked as well as the chain; absent means no (Azure's default). */
    public boolean verifiesIssuerDn() {
        return clientAuthConfiguration != null
                && Boolean.TRUE.equals(clientAuthConfiguration.verifyClientCertIssuerDN());
    }
}
