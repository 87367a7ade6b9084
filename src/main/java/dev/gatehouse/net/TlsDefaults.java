package dev.gatehouse.net;

import java.util.List;

/**
 * Gatehouse's own TLS policy, used where a document names none (docs/tls.md): TLS 1.3 and 1.2 only, with AEAD
 * cipher suites and forward secrecy (the Mozilla "intermediate" list). Shared by validation (a policy that only
 * disables protocols keeps these suites) and the data plane (the contexts it builds), so both mean the same.
 */
public final class TlsDefaults {

    /** TLS 1.3 suites first, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305; JSSE names. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** JSSE protocol names, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsDefaults() {}
}
