package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record TrustedRootCertificateProperties(
        @Schema(description = "Base64 DER or PEM certificate used to verify Tls backends.")
        String data,

        @Schema(description = "Not supported: Gatehouse has no Key Vault.")
        String keyVaultSecretId) {}
