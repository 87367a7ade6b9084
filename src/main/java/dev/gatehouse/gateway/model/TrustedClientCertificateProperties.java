package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** A CA certificate (or chain) that client certificates of Tls listeners with an SSL profile must chain to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"provisioningState"})
public record TrustedClientCertificateProperties(
        @Schema(description = "PEM text, base64 of PEM, or base64 DER: one CA certificate, or a chain.")
        String data) {}
