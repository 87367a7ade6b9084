package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * ARM's {@code sslPolicy}, on the gateway (every Tls listener) or in an SSL profile (its listeners): a
 * predefined policy by name, or a custom one by minimum protocol and cipher suites, in Azure's names
 * ({@code TLSv1_2}, {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}). What each means is decided in
 * {@code gateway.rules.SslPolicies} (docs/tls.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SslPolicy(
        @Schema(
                description = "Predefined, Custom or CustomV2.",
                allowableValues = {"Predefined", "Custom", "CustomV2"})
        String policyType,

        @Schema(description = "The predefined policy, for example AppGwSslPolicy20220101.")
        String policyName,

        @Schema(
                description = "The lowest protocol of a Custom or CustomV2 policy.",
                allowableValues = {"TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"})
        String minProtocolVersion,

        @Schema(description = "The cipher suites of a Custom or CustomV2 policy, in order of preference.")
        List<String> cipherSuites,

        @Schema(description = "Protocols that are not served, whatever the policy allows.")
        List<String> disabledSslProtocols) {}
