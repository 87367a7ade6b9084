package dev.gatehouse.dataplane;

import java.util.List;
import java.util.Objects;

/**
 * TLS termination on a listener: the listener certificate as the document carries it (base64 PKCS#12 and
 * its password), the TLS policy and client certificate authentication. Value equality, so an unchanged
 * listener keeps its TLS context across applies.
 *
 * @param certificateName the sslCertificates entry's name, for logs
 * @param policy          the protocols and suites to serve, or {@code null} for Gatehouse's own
 * @param clientAuth      the client certificates required, or {@code null} for none
 */
public record ServerTls(
        String certificateName, String pkcs12Base64, String password, Policy policy, ClientAuth clientAuth) {

    public ServerTls {
        Objects.requireNonNull(pkcs12Base64, "pkcs12Base64");
    }

    /** A listener with Gatehouse's own TLS policy and no client certificates. */
    public ServerTls(String certificateName, String pkcs12Base64, String password) {
        this(certificateName, pkcs12Base64, password, null, null);
    }

    /**
     * A TLS policy in JSSE's names.
     *
     * @param protocols    for example {@code TLSv1.3}, {@code TLSv1.2}; never empty
     * @param cipherSuites IANA names, most preferred first; those the provider lacks are left out
     */
    public record Policy(List<String> protocols, List<String> cipherSuites) {

        public Policy {
            protocols = List.copyOf(protocols);
            cipherSuites = List.copyOf(cipherSuites);
        }
    }

    /**
     * Client certificate authentication: a client must present a certificate that chains to one of
     * {@code trustedCertificates}, or the handshake fails.
     *
     * @param trustedCertificates base64 DER certificates that anchor client chains; never empty
     * @param issuerNames         when not empty, the RFC 2253 names one of which must be the client
     *                            certificate's issuer
     */
    public record ClientAuth(List<String> trustedCertificates, List<String> issuerNames) {

        public ClientAuth {
            trustedCertificates = List.copyOf(trustedCertificates);
            issuerNames = List.copyOf(issuerNames);
        }
    }

    @Override
    public String toString() {
        return "ServerTls[" + certificateName + "]";
    }
}
