package dev.gatehouse.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A listener certificate. {@code data} and {@code password} are write-only: they are stored but never
 * returned. {@code publicCertData} is computed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record SslCertificateProperties(
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY, description = "Base64 PKCS#12 (PFX).") String data,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) String password,
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) String publicCertData,
        @Schema(description = "Not supported: Gatehouse has no Key Vault.") String keyVaultSecretId) {
}
