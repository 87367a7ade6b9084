package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.gateway.store.StoredGateway;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A listener certificate. {@code data} and {@code password} are write-only: they are stored, and
 * {@link StoredGateway#view} removes them from every response. {@code publicCertData} is computed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record SslCertificateProperties(
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY, description = "Base64 PKCS#12 (PFX).")
        String data,

        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) String password,
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String publicCertData,

        @Schema(description = "Not supported: Gatehouse has no Key Vault.")
        String keyVaultSecretId) {}
